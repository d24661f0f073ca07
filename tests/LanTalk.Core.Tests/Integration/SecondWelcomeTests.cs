using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Integration;

/// <summary>A login answer after the login is a frame the state does not allow: the session ends as a protocol violation.</summary>
[TestFixture]
public sealed class SecondWelcomeTests
{
    [Test]
    public async Task A_second_UserAuthenticated_after_the_login_ends_the_session_as_a_protocol_violation()
    {
        // It was taken silently, even for another user name, and its new session id made the client miss the echoes of
        // its own messages, reporting delivered ones as not confirmed (a hostile-server audit).
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { Version = 3 });
        var ended = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, reason) => ended.TrySetResult(reason);
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello());
        await connect;
        var login = client.LoginAsync("alice", "password1");
        await server.SendAsync(
            FrameCodec.Serialize(ChatCommand.UserAuthenticated, "alice", new WelcomePacket("alice", 7, 1_700_000_000_000)),
            FrameCodec.Serialize(ChatCommand.RequestUsers, "alice", new UserListPacket([new OnlineUser("alice", 1_700_000_000_000)])));
        (await login).SessionId.Should().Be(7);

        await server.SendAsync(FrameCodec.Serialize(ChatCommand.UserAuthenticated, "mallory", new WelcomePacket("mallory", 99, 1_700_000_000_000)));
        var reason = await ended.Task.WaitAsync(Wait.Timeout);

        reason.Kind.Should().Be(DisconnectKind.ProtocolViolation);
        reason.Message.Should().Contain("UserAuthenticated after the login");
        client.UserName.Should().Be("alice");
    }
}
