using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// A server that sends its Hello and at once a closing Error (a refused version, a shutdown during login; a real
/// lantalk-server does both) must fail the login with that Error at once. About one login in two waited out the whole
/// request timeout instead, then blamed a firewall: the Error was handled before the login was registered (a
/// hostile-server audit).
/// </summary>
[TestFixture]
public sealed class HelloThenCloseTests
{
    [Test]
    public async Task A_closing_error_right_after_the_hello_fails_the_login_at_once_with_that_error()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, _) => disconnected.TrySetResult();
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello(), FrameCodec.Serialize(ChatCommand.ServerDisconnected, string.Empty, new ErrorPacket(ErrorCode.ShuttingDown, "stopping", 0)));
        await server.CloseSendingAsync();
        await connect;
        // The order that lost the Error: the connection has ended before the login is asked for.
        await disconnected.Task.WaitAsync(Wait.Timeout);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var login = () => client.LoginAsync("alice", "password1");

        var failure = (await login.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.ShuttingDown, "the server's own Error says why");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "nothing is left to wait for once the server closed");
    }
}
