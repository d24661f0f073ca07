using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// A server that sends its Hello and at once a closing Error (a refused version, a shutdown during login; a real
/// lantalk-server does both) must fail the login with that Error at once. About one login in two waited out the whole
/// request timeout instead, then blamed a firewall: the Error was handled before the login was registered (a
/// hostile-server audit). A scripted peer on loopback, since the point is the byte order a real server can produce.
/// </summary>
[TestFixture]
public sealed class HelloThenCloseTests
{
    [Test]
    public async Task A_closing_error_right_after_the_hello_fails_the_login_at_once_with_that_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var hello = FrameCodec.Serialize(ChatCommand.Hello, string.Empty,
            new ServerHelloPacket(2, 3, "scripted", 65536, 32, 4096, 30, 45, 1_700_000_000_000, ServerFeatures.None));
        var closing = FrameCodec.Serialize(ChatCommand.ServerDisconnected, string.Empty, new ErrorPacket(ErrorCode.ShuttingDown, "stopping", 0));

        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            var stream = peer.GetStream();
            await stream.WriteAsync(hello.Concat(closing).ToArray());
            peer.Client.Shutdown(SocketShutdown.Send);
            var sink = new byte[4096];
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                while (await stream.ReadAsync(sink, drain.Token) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
            }
        });
        await using var client = new ChatClient(new ChatClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, _) => disconnected.TrySetResult();
        await client.ConnectAsync("127.0.0.1", port);
        // The order that lost the Error: the connection has ended before the login is asked for.
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var login = () => client.LoginAsync("alice", "password1");

        var failure = (await login.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.ShuttingDown, "the server's own Error says why");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "nothing is left to wait for once the server closed");
        await serve;
    }
}
