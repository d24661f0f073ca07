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

        output.ToString().Should().MatchRegex(@"alice\s+127\.0\.0\.1:\d+\s+0m \d\ds").And.Contain("1 user(s) in 1 session(s)");
    }

    [Test]
    public async Task Who_and_stats_count_a_user_with_two_sessions_once()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await using var alice1 = await server.LoginAsync("alice");
        await using var alice2 = await server.LoginAsync("alice");
        await using var bob = await server.LoginAsync("bob");
        var output = new StringWriter();
        var console = new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), _ => { }, output);

        console.Execute("who");
        console.Execute("stats");

        output.ToString().Should().Contain("2 user(s) in 3 session(s) (MaxClients").And.Contain("Online: 2 user(s) in 3 session(s)");
    }

    [Test]
    public async Task Tab_completes_every_command_the_help_lists_and_sta_becomes_stats_not_stop()
    {
        await using var server = await TestServer.StartAsync();
        var console = new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), _ => { }, new StringWriter());

        console.Complete("sta", 3).Buffer.Should().Be("stats ");
        console.Complete("st", 2).Buffer.Should().Be("st", "stats and stop share the prefix, so Tab must not pick stop");
        var listed = OperatorConsole.Help.Split('\n').Skip(1).Select(l => l.Trim().Split(' ')[0]);
        OperatorConsole.Commands.Should().BeEquivalentTo(listed);
    }

    [Test]
    public async Task Commands_that_take_nothing_refuse_extra_words_instead_of_ignoring_them()
    {
        await using var server = await TestServer.StartAsync();
        string? stopped = null;
        var output = new StringWriter();
        var console = new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), why => stopped = why, output);

        console.Execute("stats now");
        console.Execute("stop the world");

        output.ToString().Should().Contain("'stats' takes nothing after it (got 'now')").And.Contain("'stop' takes nothing after it");
        output.ToString().Should().NotContain("Online:");
        stopped.Should().BeNull();
    }

    [Test]
    public async Task Commands_that_take_one_user_name_refuse_a_second_word_instead_of_dropping_it()
    {
        await using var server = await TestServer.StartAsync(null, "carol");
        var output = new StringWriter();
        var console = new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), _ => { }, output);

        // Before, each ran on the first word: adduser asked for a password for 'bad', deluser removed carol.
        console.Execute("adduser bad name!");
        console.Execute("passwd carol  now");
        console.Execute("deluser carol please");

        output.ToString().Should().Contain("'adduser' takes one user name, and user names have no spaces (got 'bad name!'); nothing was done.")
            .And.Contain("'passwd' takes one user name").And.Contain("(got 'carol please')");
        server.Users.Find("carol").Should().NotBeNull();
        server.Users.Find("bad").Should().BeNull();
    }

    [Test]
    public async Task A_stop_typed_at_a_terminal_while_sessions_are_online_must_be_typed_twice()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var alice = await server.LoginAsync("alice");
        string? stopped = null;
        var output = new StringWriter();
        var console = new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), why => stopped = why, output);
        console.ActAsInteractive();

        console.Execute("stop");
        stopped.Should().BeNull("one session is online, so the first stop only asks");
        output.ToString().Should().Contain("1 session(s) online: type 'stop' (or press Ctrl+C) again within 10 s");

        console.Execute("who");
        output.ToString().Should().Contain("The stop is cancelled; the server keeps running.", "the cancel is said, not silent");
        console.Execute("stop");
        stopped.Should().BeNull("another command between the two cancels the first stop");

        console.Execute("stop");
        stopped.Should().Be("operator command");
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

    [Test]
    public async Task A_notice_or_kick_reason_longer_than_the_protocol_carries_says_it_was_cut()
    {
        // `say` with a pasted log excerpt of 5,000 bytes said "Operator notice sent to 1 sessions" while every client got
        // its first 4,096 bytes: the operator never learnt that the end was lost.
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var alice = await server.LoginAsync("alice");
        var output = new StringWriter();
        var console = new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), _ => { }, output);

        console.Execute("say " + new string('x', 5000));
        console.Execute("kick alice " + new string('é', 3000));

        output.ToString().Should().Contain("the notice is 5000 bytes; clients get its first 4096").And.Contain("the reason is 6000 bytes; alice gets its first 4096");
        console.Execute("say short");
        output.ToString().Split('\n').Count(l => l.Contains("bytes; clients get", StringComparison.Ordinal)).Should().Be(1);
    }
}
