using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>A LoginAsync that failed without an answer (not connected, cancelled) leaves the client free to log in again.</summary>
[TestFixture]
public sealed class FailedLoginRetryTests
{
    [Test]
    public async Task A_login_that_failed_before_connecting_or_was_cancelled_does_not_block_the_next_login()
    {
        // The first login registered itself as pending and never unregistered: every later LoginAsync threw "already
        // logging in or logged in" (an API audit, 2026-12-06).
        await using var server = new ScriptedServer();
        await using var client = new ChatClient();
        var beforeConnect = () => client.LoginAsync("alice", "password1");
        await beforeConnect.Should().ThrowAsync<InvalidOperationException>().WithMessage("not connected");
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello());
        await connect;

        var cancelled = () => client.LoginAsync("alice", "password1", new CancellationToken(canceled: true));
        await cancelled.Should().ThrowAsync<OperationCanceledException>();

        var login = client.LoginAsync("alice", "password1");
        await server.SendAsync(Welcome());
        (await login.WaitAsync(Wait.Timeout)).SessionId.Should().Be(7);
        client.IsAuthenticated.Should().BeTrue();
    }

    [Test]
    public async Task A_send_that_throws_before_connecting_leaves_no_request_behind()
    {
        // The tag was registered before the send threw, and stayed registered: faulted later, at the disconnect, with
        // nobody to read it.
        await using var client = new ChatClient(new ChatClientOptions { Version = 3 });
        var send = () => client.SendPublicAsync("hi");
        var join = () => client.JoinRoomAsync("lobby");

        await send.Should().ThrowAsync<InvalidOperationException>();
        await join.Should().ThrowAsync<InvalidOperationException>();

        client.PendingCount.Should().Be(0);
    }

    [Test]
    public async Task A_login_retried_after_the_first_was_cancelled_waits_for_its_answer_before_sending()
    {
        // The retry sent a second RequestLogin while the server still checked the first, and the server closed the
        // connection (an API audit, 2026-12-06; the server now holds it until the first is decided, and closes the
        // connection only if the first was accepted, PROTOCOL.md, VerifyingLogin). The first one's AuthFailed is its
        // own, not the retry's answer.
        await using var server = new ScriptedServer();
        await using var client = new ChatClient();
        await ConnectWithCancelledLoginAsync(server, client, "wrong");

        var retry = client.LoginAsync("alice", "password1");
        // A round trip: a frame the retry sent at once would reach the server before the Pong.
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.Ping, string.Empty, new PingPacket(99)));
        (await server.NextFrameAsync()).Command.Should().Be(ChatCommand.Pong, "no second RequestLogin goes out while the first is checked");

        await server.SendAsync(FrameCodec.Serialize(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.AuthFailed, "wrong password")));
        ((LoginPacket)(await server.NextAsync(ChatCommand.RequestLogin)).Packet).Password.Should().Be("password1");
        retry.IsCompleted.Should().BeFalse("the first login's AuthFailed answered the first login");
        await server.SendAsync(Welcome());
        (await retry.WaitAsync(Wait.Timeout)).SessionId.Should().Be(7);
    }

    [Test]
    public async Task A_login_retried_after_a_cancelled_one_the_server_accepted_gets_that_Welcome_for_the_same_name()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient();
        await ConnectWithCancelledLoginAsync(server, client, "password1");

        var retry = client.LoginAsync("ALICE", "password1");
        await server.SendAsync(Welcome());

        (await retry.WaitAsync(Wait.Timeout)).SessionId.Should().Be(7);
        var other = () => client.LoginAsync("bob", "password1");
        await other.Should().ThrowAsync<InvalidOperationException>();
    }

    [Test]
    public async Task A_login_retried_after_the_connection_ended_under_a_cancelled_one_fails_with_the_connections_end()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient();
        await ConnectWithCancelledLoginAsync(server, client, "password1");
        await server.CloseSendingAsync();
        await client.Completion.WaitAsync(Wait.Timeout);

        var retry = () => client.LoginAsync("alice", "password1").WaitAsync(Wait.Timeout);
        await retry.Should().ThrowAsync<ChatClientException>();
    }

    // Connected, and a login sent whose caller then gave up (cancelled) while the server still checked it.
    private static async Task ConnectWithCancelledLoginAsync(ScriptedServer server, ChatClient client, string password)
    {
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello());
        await connect;
        using var cancel = new CancellationTokenSource();
        var first = client.LoginAsync("alice", password, cancel.Token);
        await server.NextAsync(ChatCommand.RequestLogin);
        await cancel.CancelAsync();
        await first.Awaiting(f => f.WaitAsync(Wait.Timeout)).Should().ThrowAsync<OperationCanceledException>();
    }

    // The server's acceptance of alice's login: UserAuthenticated (session 7) and the first user list.
    private static byte[][] Welcome() =>
    [
        FrameCodec.Serialize(ChatCommand.UserAuthenticated, "alice", new WelcomePacket("alice", 7, 1_700_000_000_000)),
        FrameCodec.Serialize(ChatCommand.RequestUsers, "alice", new UserListPacket([new OnlineUser("alice", 1_700_000_000_000)])),
    ];
}
