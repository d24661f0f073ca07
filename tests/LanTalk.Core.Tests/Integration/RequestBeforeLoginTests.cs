using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// A request before LoginAsync has completed fails at once with InvalidOperationException ("log in first") and sends
/// nothing, so the login that follows works. It was sent, the server answered NotAuthenticated and closed the
/// connection, the client reported it as a mere refusal (Rejected), and the LoginAsync after it failed with the same
/// error (an outside API audit, a-lib, LOW 8).
/// </summary>
[TestFixture]
public sealed class RequestBeforeLoginTests
{
    [Test]
    public async Task A_request_before_login_throws_log_in_first_and_the_login_after_it_works()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { Version = 3, RequestTimeout = TimeSpan.FromSeconds(2) });
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello());
        await connect;
        await server.NextAsync(ChatCommand.Hello);

        foreach (var call in new Func<Task>[]
        {
            () => client.SendPublicAsync("hi"),
            () => client.SendRoomAsync("lobby", "hi"),
            () => client.SendPrivateAsync("bob", "hi"),
            () => Task.FromResult(client.PostMessage(null, "hi")),
            () => client.RequestUsersAsync(),
            () => client.JoinRoomAsync("dev"),
            () => client.ListRoomsAsync(),
            () => client.SetAwayAsync("out"),
            () => client.WhoIsAsync("bob"),
            () => client.HistoryAsync(HistoryScope.Room, "lobby", 0, 10),
            () => client.SearchAsync("word"),
        })
        {
            (await call.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().StartWith("log in first");
        }

        client.IsConnected.Should().BeTrue();
        client.PendingCount.Should().Be(0, "nothing refused is left registered");
        var login = client.LoginAsync("alice", "password1");
        (await server.NextFrameAsync()).Command.Should().Be(ChatCommand.RequestLogin, "nothing of the refused requests was sent");
        await server.SendAsync(
            FrameCodec.Serialize(ChatCommand.UserAuthenticated, "alice", new WelcomePacket("alice", 7, 1_700_000_000_000)),
            FrameCodec.Serialize(ChatCommand.RequestUsers, "alice", new UserListPacket([new OnlineUser("alice", 1_700_000_000_000)])));
        await Wait.ForAsync(login, "the login after the refusals");
        var users = client.RequestUsersAsync();
        (await server.NextFrameAsync()).Command.Should().Be(ChatCommand.RequestUsers);
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.RequestUsers, string.Empty, new UserListPacket([new OnlineUser("alice", 1)])));
        (await Wait.ForAsync(users, "the user list after login")).Should().ContainSingle();
    }
}
