using LanTalk.Core.Client;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>RequestLogin over the real server: success, failure, retry, and a second login of an online user.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LoginTests
{
    [Test]
    public async Task Login_answers_Welcome_with_the_stored_name_and_a_user_list_that_includes_self()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await using var bob = await server.LoginAsync("bob");
        await using var alice = await server.ConnectAsync();

        // The stored name is "alice"; the server answers with its spelling, not the one typed.
        var welcome = await alice.LoginAsync("ALICE", TestServer.Password);

        welcome.UserName.Should().Be("alice");
        alice.UserName.Should().Be("alice");
        alice.IsAuthenticated.Should().BeTrue();
        alice.OnlineUsers.Select(u => u.Name).Should().BeEquivalentTo("alice", "bob");
    }

    [Test]
    public async Task Wrong_password_and_unknown_user_fail_alike_and_the_connection_stays_open_for_a_retry()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var client = await server.ConnectAsync();

        var wrongPassword = await LoginFailure(client, "alice", "wrong password");
        var unknownUser = await LoginFailure(client, "mallory", TestServer.Password);

        wrongPassword.Failure.Should().Be(ChatFailure.AuthFailed);
        wrongPassword.Code.Should().Be(ErrorCode.AuthFailed);
        // Same code and same text: the answer must not reveal which names exist.
        unknownUser.Code.Should().Be(wrongPassword.Code);
        unknownUser.Message.Should().Be(wrongPassword.Message);
        client.IsConnected.Should().BeTrue("AuthFailed does not close the connection");

        var welcome = await client.LoginAsync("alice", TestServer.Password);
        welcome.UserName.Should().Be("alice");
    }

    [Test]
    public async Task Second_login_of_an_online_user_is_a_second_session_and_the_first_is_unaffected()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var first = await server.LoginProbeAsync("alice");
        await using var firstClient = first.Client;
        var bob = await server.LoginProbeAsync("bob");
        await using var bobClient = bob.Client;
        bob.Client.OnlineUsers.Select(u => u.Name).Should().Contain("alice");

        await using var second = await server.LoginAsync("alice");
        // carol's login after the second session is a marker: once bob hears of her, any presence the second
        // session caused has reached him too (batches go out in order).
        await using var carol = await server.LoginAsync("carol");
        await bob.Joined.WaitForAsync(n => n == "carol", "bob sees carol come online");

        second.IsAuthenticated.Should().BeTrue("up to MaxSessionsPerUser (8) sessions of one user are allowed");
        (await first.Client.SendPublicAsync("still me")).From.Should().Be("alice");
        var fromBob = await bob.Client.SendPublicAsync("hi alice");
        (await first.Messages.WaitForAsync(m => m.Id == fromBob.Id, "bob's message at the first session")).Text.Should().Be("hi alice");
        first.Left.Items.Should().NotContain("alice", "a second session must not log the first out");
        bob.Left.Items.Should().NotContain("alice", "alice stays online: presence is per user");
        bob.Joined.Items.Should().NotContain("alice", "only the first session brings the user online, and bob knew of it at login");
    }

    [Test]
    public async Task A_v2_login_beyond_MaxSessionsPerUser_gets_AlreadyLoggedIn_and_the_first_session_is_unaffected()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxSessionsPerUser = 1 }, "alice", "bob");
        var first = await server.LoginProbeAsync("alice");
        await using var firstClient = first.Client;
        await using var bob = await server.LoginAsync("bob");
        await using var second = await server.ConnectAsync();

        var refusal = await LoginFailure(second, "alice", TestServer.Password);

        refusal.Failure.Should().Be(ChatFailure.AlreadyLoggedIn);
        refusal.Code.Should().Be(ErrorCode.AlreadyLoggedIn);
        second.IsConnected.Should().BeTrue("AlreadyLoggedIn does not close the connection");
        first.Client.IsAuthenticated.Should().BeTrue();
        (await first.Client.SendPublicAsync("still me")).From.Should().Be("alice");
        var fromBob = await bob.SendPublicAsync("hi alice");
        (await first.Messages.WaitForAsync(m => m.Id == fromBob.Id, "bob's message at the first session")).Text.Should().Be("hi alice");
        first.Left.Items.Should().NotContain("alice", "the refused login must not log the first session out");
    }

    [Test]
    public async Task Newcomer_gets_nothing_before_its_Welcome_even_during_a_flood()
    {
        await using var server = await TestServer.StartAsync(s => s with { MessageRatePerSecond = 1_000_000, MessageBurst = 1_000_000 }, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");
        using var stop = new CancellationTokenSource();
        var flooding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var flood = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < 50; i++)
                {
                    alice.PostMessage(null, "flood");
                }

                await alice.SendPublicAsync("tick");
                flooding.TrySetResult();
            }
        });
        await Wait.ForAsync(flooding.Task, "the flood to start");
        await using var bob = await server.ConnectRawAsync();
        await bob.HelloAsync();

        await bob.SendAsync(ChatCommand.RequestLogin, new Core.Packets.LoginPacket("bob", TestServer.Password));

        var first = await bob.ReadFrameAsync();
        first!.Command.Should().Be(ChatCommand.UserAuthenticated, $"the Welcome comes first, not {first}");
        await bob.ReadUntilAsync(f => f.Command == ChatCommand.PublicMessage, "the flood, after the Welcome");
        await stop.CancelAsync();
        await Wait.ForAsync(flood, "the flood to stop");
    }

    internal static async Task<ChatClientException> LoginFailure(ChatClient client, string user, string password)
    {
        var login = () => client.LoginAsync(user, password);
        return (await login.Should().ThrowAsync<ChatClientException>()).Which;
    }
}
