using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Hosting;

namespace LanTalk.Server.Tests.Integration;

/// <summary>The operator console's commands, driven in process against a real server.</summary>
[TestFixture]
public sealed class OpsConsoleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static async Task<T> Within<T>(Task<T> task)
    {
        (await Task.WhenAny(task, Task.Delay(Timeout))).Should().BeSameAs(task, "it happens within {0}", Timeout);
        return await task;
    }

    [Test]
    public async Task Who_lists_online_users_with_address_and_time()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var alice = await server.LoginAsync("alice");
        var output = new StringWriter();

        new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), _ => { }, output).Execute("who");

        output.ToString().Should().MatchRegex(@"alice\s+127\.0\.0\.1:\d+\s+0m \d\ds").And.Contain("1 online");
    }

    [Test]
    public async Task Kick_disconnects_with_Kicked_and_say_reaches_everyone()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");
        await using var bob = await server.LoginAsync("bob");
        var notice = new TaskCompletionSource<NoticePacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.NoticeReceived += (_, n) => notice.TrySetResult(n);
        var output = new StringWriter();
        var console = new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), _ => { }, output);

        console.Execute("say maintenance at noon");
        console.Execute("kick bob spamming the channel");

        (await Within(notice.Task)).Text.Should().Be("maintenance at noon");
        (await Within(bob.Completion)).Code.Should().Be(ErrorCode.Kicked);
        output.ToString().Should().Contain("Kicked 'bob'.");
    }

    [Test]
    public async Task Deluser_removes_the_account_and_disconnects_it_with_AccountRemoved()
    {
        await using var server = await TestServer.StartAsync(null, "carol");
        await using var carol = await server.LoginAsync("carol");
        var output = new StringWriter();

        new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), _ => { }, output).Execute("deluser carol");

        (await Within(carol.Completion)).Code.Should().Be(ErrorCode.AccountRemoved);
        server.Users.Find("carol").Should().BeNull();
    }

    [Test]
    public async Task Stop_requests_a_stop_and_unknown_commands_point_to_help()
    {
        await using var server = await TestServer.StartAsync();
        string? stopped = null;
        var output = new StringWriter();
        var console = new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), why => stopped = why, output);

        console.Execute("frobnicate");
        console.Execute("kick");
        console.Execute("help");
        console.Execute("stop");

        output.ToString().Should().Contain("Unknown command 'frobnicate'; type 'help'.").And.Contain("'kick' needs an argument").And.Contain("who ");
        stopped.Should().Be("operator command");
    }
}
