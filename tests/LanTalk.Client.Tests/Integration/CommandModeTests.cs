using System.Text.RegularExpressions;
using LanTalk.Client.App;
using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;

namespace LanTalk.Client.Tests.Integration;

/// <summary>Whole lantalk commands run in process (send, pipe mode, archive search) against the real server.</summary>
public sealed class CommandModeTests
{
    private TestServer _server = null!;
    private TempDirectory _home = null!;
    private ChatClient _bob = null!;
    private RecordingListener _bobEvents = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await TestServer.StartTlsAsync("alice", "bob", "dave");
        _home = new TempDirectory();
        _bobEvents = new RecordingListener();
        _bob = new ChatClient(_server.ClientOptions);
        _bob.MessageReceived += (_, m) => _bobEvents.OnMessage(m);
        await _bob.ConnectAsync("127.0.0.1", _server.Port);
        await _bob.LoginAsync("bob", TestServer.Password);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _bob.DisposeAsync();
        await _server.DisposeAsync();
        _home.Dispose();
    }

    private Task<(int Code, string Out, string Error)> Run(string stdin, bool redirected, params string[] args) =>
        Run(_server, stdin, redirected, args);

    private async Task<(int Code, string Out, string Error)> Run(TestServer server, string stdin, bool redirected, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new AppEnvironment
        {
            In = new StringReader(stdin),
            Out = output,
            Error = error,
            IsInputRedirected = redirected,
            IsOutputRedirected = true,
            GetVariable = _ => null,
            Paths = _home.AppPaths,
            TimeZone = TimeZoneInfo.Utc,
            Reconnect = ReconnectPolicy.Never,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        // Every connecting command trusts the test server's certificate, as a script would with --trust.
        string[] full = args.Length > 0 && args[0] == "archive" ? args : [.. args, "--trust", server.Fingerprint];
        int code = await LanTalkApp.RunAsync(full, env).WaitAsync(TimeSpan.FromSeconds(30));
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Send_delivers_one_message_waits_for_confirmation_and_exits_0()
    {
        var (code, output, error) = await Run(TestServer.Password + "\n", true, "send", "--server", _server.Address, "--user", "alice", "--password-stdin", "--to", "bob", "build", "is", "green");

        code.Should().Be(0, error);
        output.Should().BeEmpty();
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "build is green" && m.To == "bob"), "bob to get the private message");
        string folder = ArchiveLocation.Folder(_home.AppPaths.ArchiveRoot, new ServerAddress("127.0.0.1", _server.Port), "alice");
        ArchiveReader.Tail(folder, 5).Should().ContainSingle().Which.Should().EndWith("PRIV alice -> bob: build is green");
    }

    [Test]
    public async Task Send_to_someone_offline_exits_9_with_the_reason()
    {
        var (code, _, error) = await Run(TestServer.Password + "\n", true, "send", "-s", _server.Address, "-u", "alice", "--password-stdin", "--to", "carol", "hello?");

        code.Should().Be((int)ExitCode.NotDelivered);
        error.Should().Be("lantalk: not delivered: there is no user 'carol'\n");
    }

    [Test]
    public async Task Send_with_room_joins_the_room_and_posts_there()
    {
        // Another user made #dev; alice is not in it yet.
        var daveEvents = new RecordingListener();
        await using var dave = await _server.LoginAsync("dave", _server.ClientOptions with { Version = 3 });
        dave.MessageReceived += (_, m) => daveEvents.OnMessage(m);
        await dave.JoinRoomAsync("dev");

        var (code, _, error) = await Run(TestServer.Password + "\n", true, "send", "-s", _server.Address, "-u", "alice", "--password-stdin", "--room", "#dev", "deploy", "done");

        code.Should().Be(0, error);
        // The archive holds the server's echo, which names the room the message went to.
        string folder = ArchiveLocation.Folder(_home.AppPaths.ArchiveRoot, new ServerAddress("127.0.0.1", _server.Port), "alice");
        ArchiveReader.Tail(folder, 5).Should().Contain(l => l.EndsWith("PUB #dev alice: deploy done", StringComparison.Ordinal));
        await daveEvents.WaitFor(() => daveEvents.Messages.Any(m => m.Text == "deploy done" && m.Room == "dev"), "dave, in #dev, to get the message");
        _bobEvents.Messages.Should().NotContain(m => m.Text == "deploy done", "bob is in the lobby only");
    }

    [Test]
    public async Task Send_with_a_room_that_does_not_exist_is_refused_and_creates_no_room()
    {
        var (code, _, error) = await Run(TestServer.Password + "\n", true, "send", "-s", _server.Address, "-u", "alice", "--password-stdin", "--room", "#dve", "deploy", "done");

        code.Should().Be((int)ExitCode.NotDelivered);
        error.Should().Contain("there is no room #dve that you can join");
        await using var dave = await _server.LoginAsync("dave", _server.ClientOptions with { Version = 3 });
        (await dave.ListRoomsAsync()).Select(r => r.Name).Should().NotContain("dve", "a typo in a one-shot send must not create a room");
    }

    [Test]
    public async Task Send_leaves_the_users_stored_private_messages_for_the_chat()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { TlsMode = LanTalk.Server.Settings.TlsMode.Required }, "alice", "carol");
        await using (var carol = await server.LoginAsync("carol", server.ClientOptions with { Version = 3 }))
        {
            (await carol.SendPrivateAsync("alice", "call me")).Flags.Should().HaveFlag(LanTalk.Core.Packets.MessageMarks.Stored);
        }

        // A script posting as alice while she is away.
        var (code, _, error) = await Run(server, TestServer.Password + "\n", true, "send", "-s", server.Address, "-u", "alice", "--password-stdin", "build done");
        code.Should().Be(0, error);
        // Still queued: taken by the script, it would reach a chat started more than 30 s later only by /history.
        server.History.PendingFor("alice").Select(m => m.Text).Should().Equal("call me");

        var events = new RecordingListener();
        await using var chat = await server.ConnectAsync(server.ClientOptions with { Version = 3 });
        chat.MessageReceived += (_, m) => events.OnMessage(m);
        await chat.LoginAsync("alice", TestServer.Password);
        await events.WaitFor(() => events.Messages.Any(m => m.Text == "call me"), "the stored message to reach alice's chat, not the script");
    }

    [Test]
    public async Task Send_to_an_offline_user_is_stored_says_so_and_exits_0()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { TlsMode = LanTalk.Server.Settings.TlsMode.Required }, "alice", "carol");

        var (code, output, error) = await Run(server, TestServer.Password + "\n", true, "send", "-s", server.Address, "-u", "alice", "--password-stdin", "--to", "carol", "see you");

        code.Should().Be(0, error);
        output.Should().BeEmpty();
        error.Should().Be("lantalk: carol is offline: stored for delivery\n");
    }

    [Test]
    public async Task Wrong_password_exits_4_without_a_stack_trace()
    {
        var (code, _, error) = await Run("wrong\n", true, "send", "-s", _server.Address, "-u", "alice", "--password-stdin", "x");

        code.Should().Be((int)ExitCode.AuthFailed);
        error.Should().Contain("login failed").And.Contain("alice").And.NotContain("   at ");
    }

    [Test]
    public async Task Refused_connection_names_host_and_port_and_exits_3()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (code, _, error) = await Run(TestServer.Password + "\n", true, "send", "-s", $"127.0.0.1:{closedPort}", "-u", "alice", "--password-stdin", "x");

        code.Should().Be((int)ExitCode.Unreachable);
        error.Should().Contain($"127.0.0.1:{closedPort}").And.Contain("refused").And.Contain("running");
    }

    [TestCase(2, 0)]
    [TestCase(3, (int)ExitCode.AuthFailed)]
    public async Task A_wrong_password_typed_at_the_terminal_is_asked_again_up_to_three_times(int wrong, int exit)
    {
        var keys = new ScriptedKeys(string.Concat(Enumerable.Repeat("wrong\r", wrong)) + TestServer.Password + "\r");
        var error = new StringWriter();
        var env = AtATerminal(error, () => keys) with { ConnectTimeout = TimeSpan.FromSeconds(5) };

        int code = await LanTalkApp.RunAsync(["send", "-s", _server.Address, "-u", "alice", "--trust", _server.Fingerprint, "hi"], env).WaitAsync(TimeSpan.FromSeconds(30));

        code.Should().Be(exit, error.ToString());
        error.ToString().Split("Password for alice@").Length.Should().Be(Math.Min(wrong + 1, 3) + 1, "one prompt per try, at most three");
        error.ToString().Should().Contain($"Password for alice@{_server.Address} (try 2 of 3): ");
    }

    [Test]
    public async Task After_a_wrong_password_only_the_password_is_asked_again_and_an_empty_line_is_no_try()
    {
        // Asking the name first had the user type the password again there, in clear, and the server log it as a
        // login name (an outside audit, F15). Nothing is on standard input: a name prompt would read its end as a cancel.
        var keys = new ScriptedKeys("wrongpass\r\r" + TestServer.Password + "\r");
        var error = new StringWriter();
        var env = AtATerminal(error, () => keys) with { In = new StringReader(string.Empty), ConnectTimeout = TimeSpan.FromSeconds(5) };

        int code = await LanTalkApp.RunAsync(["send", "-s", _server.Address, "-u", "alice", "--trust", _server.Fingerprint, "hi"], env).WaitAsync(TimeSpan.FromSeconds(30));

        code.Should().Be(0, error.ToString());
        string text = error.ToString();
        text.Should().NotContain("User name").And.Contain("--user NAME").And.Contain("the password is empty");
        text.Should().Contain($"Password for alice@{_server.Address} (try 2 of 3): ", "the empty line was asked again, not sent")
            .And.NotContain("try 3 of 3");
    }

    [Test]
    public async Task Missing_password_in_a_script_is_a_usage_error_not_a_hang()
    {
        var (code, _, error) = await Run(string.Empty, true, "send", "-s", _server.Address, "-u", "alice", "x");

        code.Should().Be((int)ExitCode.Usage);
        error.Should().Contain("--password-stdin").And.Contain("LANTALK_PASSWORD");
    }

    [Test]
    public async Task Pipe_mode_sends_each_line_prints_events_and_exits_0_at_end_of_input()
    {
        string input = TestServer.Password + "\nfirst line\n/msg bob private one\n//slash line\nlast line\n";

        var (code, output, error) = await Run(input, true, _server.Address, "--user", "alice", "--password-stdin");

        code.Should().Be(0, error);
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Count == 4, "bob to receive all four lines");
        _bobEvents.Messages.Select(m => (m.Text, m.To)).Should().Equal(
            ("first line", null), ("private one", "bob"), ("/slash line", null), ("last line", null));
        var lines = output.TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(4, "each confirmed message is echoed as one event line");
        lines[0].Should().MatchRegex(@"^\[\d\d:\d\d\] alice: first line$");
        lines[1].Should().MatchRegex(@"^\[\d\d:\d\d\] \[private\] alice -> bob: private one$");
        error.Should().Contain("connected to");
        File.Exists(_home.AppPaths.SettingsFile).Should().BeFalse("only the interactive client remembers settings");
    }

    [Test]
    public async Task Pipe_mode_ends_lines_only_at_newline_so_a_carriage_return_stays_in_the_private_message()
    {
        // A bare \r split the line: "FAKE: line" went to the room instead of to bob (an outside audit, F3). A \r
        // before \n is a CRLF line end and is dropped, the password's too.
        string input = TestServer.Password + "\r\n/msg bob CR overwrite\rFAKE: line\r\nlast line\n";

        var (code, output, error) = await Run(input, true, _server.Address, "--user", "alice", "--password-stdin");

        code.Should().Be(0, error);
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "last line"), "bob to receive the last line");
        _bobEvents.Messages.Select(m => (m.Text, m.To)).Should().Equal(("CR overwrite\rFAKE: line", "bob"), ("last line", null));
        output.Should().Contain("CR overwrite\u240dFAKE: line", "the CR is shown made visible, not sent to the terminal raw");
    }

    [Test]
    public async Task A_start_does_not_rejoin_a_room_an_older_settings_file_lists_after_a_kick()
    {
        // zoë's case: bob kicked alice from #cafe while her lantalk was not running; her Settings.xml, written by a
        // lantalk that remembered rooms, still lists #cafe.
        var v3 = _server.ClientOptions with { Version = 3 };
        await using var owner = await _server.LoginAsync("bob", v3);
        await owner.JoinRoomAsync("cafe");
        await using (var earlier = await _server.LoginAsync("alice", v3))
        {
            await earlier.JoinRoomAsync("cafe");
            await earlier.LogoutAsync();
        }

        await owner.KickAsync("cafe", "alice");
        Directory.CreateDirectory(Path.GetDirectoryName(_home.AppPaths.SettingsFile)!);
        File.WriteAllText(_home.AppPaths.SettingsFile, $"<LanTalkClient version=\"1\"><Server>127.0.0.1</Server><Port>{_server.Port}</Port><User>alice</User>" +
            $"<Rooms server=\"127.0.0.1:{_server.Port}\" user=\"alice\"><Room>lobby</Room><Room>cafe</Room></Rooms></LanTalkClient>");

        // /who alice: a round trip after the login, as the old rejoin's room list was.
        var (code, output, error) = await Run(TestServer.Password + "\n/who alice\n", true, _server.Address, "--user", "alice", "--password-stdin");

        code.Should().Be(0, error);
        output.Should().NotContain("#cafe");
        (await owner.ListRoomsAsync()).Should().ContainSingle(r => r.Name == "cafe").Which.MemberCount.Should().Be(1, "alice stays kicked");
    }

    [Test]
    public async Task Pipe_mode_understands_who_archive_help_and_reports_bad_commands_on_stderr()
    {
        string input = TestServer.Password + "\nsomething to archive\n/who\n/archive 1\n/help\n/nonsense\n/msg carol hi\n";

        var (code, output, error) = await Run(input, true, _server.Address, "--user", "alice", "--password-stdin");

        code.Should().Be((int)ExitCode.NotDelivered, "one message could not be delivered");
        // A v3 server: /who lists the current room's members.
        output.Should().Contain("-- #lobby (2): alice, bob");
        // /archive shows the chat format, local time, after a date line, with the room: not the raw UTC archive line.
        output.Should().MatchRegex(@"\n-- \w+day \d+ \w+ \d{4} --\n\[\d\d:\d\d\] #lobby alice: something to archive\n", "the archive names the room");
        output.Should().NotMatchRegex(@"\dZ PUB ");
        output.Should().Contain("/msg NAME text");
        error.Should().Contain("!! unknown command /nonsense").And.Contain("!! not delivered: there is no user 'carol'");
    }

    [Test]
    public async Task Pipe_mode_exits_non_zero_when_a_command_failed()
    {
        var (code, _, error) = await Run(TestServer.Password + "\n/nonsense\nstill sent\n", true, _server.Address, "--user", "alice", "--password-stdin");

        code.Should().Be((int)ExitCode.NotDelivered, error);
        error.Should().Contain("unknown command /nonsense");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "still sent"), "the lines after the failed command");
    }

    [Test]
    public async Task Pipe_mode_prints_what_it_receives()
    {
        var pipeIn = new BlockingReader();
        var output = new StringWriter();
        var env = InAPipe(pipeIn, TextWriter.Synchronized(output), TextWriter.Null);
        var run = LanTalkApp.RunAsync([_server.Address, "-u", "alice", "--trust", _server.Fingerprint], env);
        pipeIn.Add("ready");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "ready"), "alice to be online");

        await _bob.SendPublicAsync("hi alice");
        await _bob.SendPrivateAsync("alice", "secret stuff");
        pipeIn.Add("done");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "done"), "alice's last line");
        pipeIn.End();

        (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        output.ToString().Should().Contain("bob: hi alice\n").And.Contain("[private] bob -> alice: secret stuff\n");
    }

    [Test]
    public async Task Pipe_mode_tells_a_kick_once_on_stderr_and_exits_7()
    {
        // "!! you were kicked ..." and then "lantalk: you were kicked ...", both on stderr (a usability audit, 2026-12-06).
        var pipeIn = new BlockingReader();
        var output = new StringWriter();
        var error = new StringWriter();
        var env = InAPipe(pipeIn, TextWriter.Synchronized(output), TextWriter.Synchronized(error));
        var run = LanTalkApp.RunAsync([_server.Address, "-u", "alice", "--trust", _server.Fingerprint], env);
        pipeIn.Add("ready");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "ready"), "alice to be online");

        _server.Server.Kick("alice", "your account was removed by the operator").Should().BeTrue();

        (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be((int)ExitCode.Kicked);
        pipeIn.End();
        string all = output + error.ToString();
        all.Split('\n').Count(l => l.Contains("removed by the operator", StringComparison.Ordinal)).Should().Be(1, "the reason once:\n" + all);
        error.ToString().Should().MatchRegex(@"(?m)^lantalk: you were kicked from .*: your account was removed by the operator$", "a script sees why on stderr");
    }

    [Test]
    public async Task The_connected_line_comes_before_the_stored_messages_and_replays_that_follow_the_login()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { TlsMode = LanTalk.Server.Settings.TlsMode.Required }, "alice", "carol");
        await using (var carol = await server.LoginAsync("carol", server.ClientOptions with { Version = 3 }))
        {
            for (int i = 1; i <= 20; i++)
            {
                await carol.SendRoomAsync(string.Empty, $"lobby {i}");
                await carol.SendPrivateAsync("alice", $"stored {i}");
            }
        }

        // stdout and stderr to one place, as in a terminal.
        var screen = new FlushedWriter();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        screen.Flushed += text =>
        {
            if (text.Contains("stored 20", StringComparison.Ordinal) && text.Contains("carol: lobby 20", StringComparison.Ordinal))
            {
                arrived.TrySetResult();
            }
        };
        var pipeIn = new BlockingReader();
        var env = InAPipe(pipeIn, TextWriter.Synchronized(screen), TextWriter.Synchronized(screen));
        var run = LanTalkApp.RunAsync([server.Address, "-u", "alice", "--trust", server.Fingerprint], env);
        await arrived.Task.WaitAsync(RecordingListener.Timeout);

        pipeIn.End();
        (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        var lines = screen.ToString().Split('\n');
        int connected = Array.FindIndex(lines, l => l.Contains("connected to", StringComparison.Ordinal));
        connected.Should().BeGreaterThan(-1);
        int firstEvent = Array.FindIndex(lines, l => l.Contains("stored ", StringComparison.Ordinal) || l.Contains("carol: lobby", StringComparison.Ordinal));
        connected.Should().BeLessThan(firstEvent, "the banner describes the connection the lines after it came on:\n" + screen);
    }

    [Test]
    public async Task A_piped_100_lines_arrive_in_full_and_in_order_and_lantalk_exits_0()
    {
        // seq 100 | lantalk ...: more than the server's burst of 60, faster than its 20 per second.
        string input = TestServer.Password + "\n" + string.Join('\n', Enumerable.Range(1, 100)) + "\n";

        var (code, _, error) = await Run(input, true, _server.Address, "--user", "alice", "--password-stdin");

        code.Should().Be(0, error);
        error.Should().NotContain("not delivered");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Count(m => m.From == "alice") == 100, "all 100 lines");
        _bobEvents.Messages.Where(m => m.From == "alice").Select(m => m.Text).Should().Equal(Enumerable.Range(1, 100).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Nobody_is_asked_for_a_password_when_the_server_cannot_be_reached()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        int port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var error = new StringWriter();
        var env = AtATerminal(error, () => throw new AssertionException("the password must not be asked before the server answered"));

        int code = await LanTalkApp.RunAsync([$"127.0.0.1:{port}", "--user", "alice"], env).WaitAsync(TimeSpan.FromSeconds(30));

        code.Should().Be((int)ExitCode.Unreachable);
        error.ToString().Should().Contain("connection refused").And.NotContain("Password");
    }

    [Test]
    public async Task A_dumb_terminal_chats_line_by_line_without_escape_sequences()
    {
        // TERM=dumb at a real terminal: stdin is not redirected, yet the line editor must not run.
        var output = new StringWriter();
        var error = new StringWriter();
        var env = DumbTerminal("hello from a dumb terminal\n/nonsense\n", output, error);

        await LanTalkApp.RunAsync([_server.Address, "--user", "alice", "--trust", _server.Fingerprint], env).WaitAsync(TimeSpan.FromSeconds(30));

        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "hello from a dumb terminal"), "bob to get the line");
        output.ToString().Should().Contain("alice: hello from a dumb terminal");
        (output.ToString() + error.ToString()).Should().NotContain("\x1b", "a dumb terminal shows escapes as garbage");
    }

    /// <summary>alice at a TERM=dumb terminal (no line editor) typing <paramref name="typed"/>, never reconnecting.</summary>
    private AppEnvironment DumbTerminal(string typed, StringWriter output, StringWriter error) => new()
    {
        In = new StringReader(typed),
        Out = output,
        Error = error,
        IsInputRedirected = false,
        IsOutputRedirected = false,
        PlainTerminal = true,
        GetVariable = name => name == "LANTALK_PASSWORD" ? TestServer.Password : null,
        Paths = _home.AppPaths,
        TimeZone = TimeZoneInfo.Utc,
        Reconnect = ReconnectPolicy.Never,
        Terminal = () => throw new AssertionException("no line editor on a dumb terminal"),
    };

    [Test]
    public async Task A_dumb_terminal_sends_each_line_when_Enter_gives_a_carriage_return()
    {
        // .NET's console turns the terminal's ICRNL off, so Enter at a TERM=dumb terminal arrives as \r: lines read only
        // to \n waited until Ctrl+D and then went out as one message, "\r" and all (a README audit, 2026-12-07).
        var output = new StringWriter();
        var env = DumbTerminal("first typed line\rsecond typed line\r\nthird typed line\r", output, new StringWriter());

        await LanTalkApp.RunAsync([_server.Address, "--user", "alice", "--trust", _server.Fingerprint], env).WaitAsync(TimeSpan.FromSeconds(30));

        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "third typed line"), "bob to get the third line on its own");
        _bobEvents.Messages.Select(m => m.Text).Where(t => t.Contains("typed line", StringComparison.Ordinal))
            .Should().Equal(["first typed line", "second typed line", "third typed line"], "each Enter ends a line, and \r\n is one line end");
    }

    [TestCase("dumb", false, true)]
    [TestCase("", false, true)]
    [TestCase(null, false, true)]
    [TestCase("xterm-256color", false, false)]
    [TestCase(null, true, false)]
    public void Which_TERM_means_plain_output(string? term, bool windows, bool plain)
    {
        AppEnvironment.IsPlainTerm(term, windows).Should().Be(plain);
    }

    [Test]
    public async Task Archive_search_finds_messages_from_earlier_runs()
    {
        (await Run(TestServer.Password + "\n", true, "send", "-s", _server.Address, "-u", "alice", "--password-stdin", "deploy finished")).Code.Should().Be(0);

        var (code, output, _) = await Run(string.Empty, true, "archive", "search", "DEPLOY", "-s", _server.Address, "-u", "alice");
        code.Should().Be(0);
        output.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z PUB #lobby alice: deploy finished\n$");

        (await Run(string.Empty, true, "archive", "search", "nothing", "-s", _server.Address, "-u", "alice")).Code.Should().Be(1);
        var all = await Run(string.Empty, true, "archive", "search", "deploy", "--all");
        all.Out.Should().StartWith($"127.0.0.1_{_server.Port}/alice: ");
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_archive_an_older_client_left_world_readable_is_made_owner_only_at_the_next_start_with_one_note()
    {
        // The first releases under umask 022: a day file 0644 in 0755 folders. This client went on appending private
        // messages to it (an upgrade audit, 2026-12-06).
        const UnixFileMode Open = (UnixFileMode)0b111_101_101;
        string folder = ArchiveLocation.Folder(_home.AppPaths.ArchiveRoot, new ServerAddress("127.0.0.1", _server.Port), "alice");
        Directory.CreateDirectory(folder);
        string day = Path.Combine(folder, "2026-11-24.log");
        File.WriteAllText(day, "2026-11-24T14:03:12Z PRIV bob -> alice: my salary is 123\n");
        foreach (string path in new[] { _home.AppPaths.ArchiveRoot, Path.GetDirectoryName(folder)!, folder })
        {
            File.SetUnixFileMode(path, Open);
        }

        File.SetUnixFileMode(day, Open & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));

        var first = await Run(TestServer.Password + "\n", true, "send", "-s", _server.Address, "-u", "alice", "--password-stdin", "--to", "bob", "a private message after the upgrade");
        first.Code.Should().Be(0, first.Error);
        first.Error.Should().MatchRegex("^lantalk: note: made owner-only \\(an older lantalk left them readable by others, who may have copied them\\): [^\n]*" + Regex.Escape(day) + "[^\n]*\n$");
        foreach (string path in Directory.GetFiles(folder).Concat([_home.AppPaths.ArchiveRoot, Path.GetDirectoryName(folder)!, folder]))
        {
            (File.GetUnixFileMode(path) & (UnixFileMode)0b000_111_111).Should().Be((UnixFileMode)0, path);
        }

        var second = await Run(TestServer.Password + "\n", true, "send", "-s", _server.Address, "-u", "alice", "--password-stdin", "--to", "bob", "and another");
        second.Error.Should().BeEmpty("nothing was left to tighten");
    }

    [Test]
    public async Task A_pipe_whose_server_is_gone_at_end_of_input_gives_up_after_its_limit_naming_the_unsent_lines()
    {
        // It reconnected for ever, and a cron job's lantalk never ended (an outside client audit, F11).
        var relay = new TcpRelay(_server.Port);
        var error = new FlushedWriter();
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        error.Flushed += text =>
        {
            if (text.Contains("reconnecting to", StringComparison.Ordinal))
            {
                lost.TrySetResult();
            }
        };
        var pipeIn = new BlockingReader();
        var env = InAPipe(pipeIn, TextWriter.Null, TextWriter.Synchronized(error)) with
        {
            Reconnect = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(100) },
            PipeOfflineLimit = TimeSpan.FromSeconds(1),
        };
        var run = LanTalkApp.RunAsync([relay.Address, "-u", "alice", "--trust", _server.Fingerprint], env);
        pipeIn.Add("first line");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "first line"), "the first line");

        await relay.DisposeAsync();
        await lost.Task.WaitAsync(RecordingListener.Timeout);
        pipeIn.Add("second line");
        pipeIn.End();

        (await Wait.ForAsync(run, "lantalk to give up", TimeSpan.FromSeconds(15))).Should().Be((int)ExitCode.NotDelivered, error.ToString());
        error.ToString().Should().Contain("not sent: \"second line\"").And.Contain("lantalk: gave up: the input has ended and");
    }

    [Test]
    public async Task A_pipe_whose_input_ended_before_the_server_went_away_reconnects_and_sends_every_waiting_line_once()
    {
        // `seq 300 | lantalk`, the server killed and back 10 s later: the input had ended while most lines still waited
        // for the server's rate, and lantalk exited 9 at the drop, naming them "not sent", without one reconnect (a
        // fault-injection audit, 2026-12-07). A slow rate, so lines still wait when the server goes; history, so a line
        // lost with the connection is looked up before it is sent again.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { TlsMode = LanTalk.Server.Settings.TlsMode.Required, MessageRatePerSecond = 2, MessageBurst = 1 }, "alice", "bob");
        var bobEvents = new RecordingListener();
        await using var bob = await server.LoginAsync("bob", server.ClientOptions);
        bob.MessageReceived += (_, m) => bobEvents.OnMessage(m);
        var sent = Enumerable.Range(1, 5).Select(n => $"line {n}").ToList();
        var error = new FlushedWriter();
        var retrying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        error.Flushed += text =>
        {
            if (text.Contains("try 1 failed", StringComparison.Ordinal))
            {
                retrying.TrySetResult();
            }
        };
        var env = new AppEnvironment
        {
            // All of it at once: the input has ended long before the rate lets the last lines go.
            In = new StringReader(string.Concat(sent.Select(line => line + "\n"))),
            Out = TextWriter.Null,
            Error = TextWriter.Synchronized(error),
            IsInputRedirected = true,
            IsOutputRedirected = true,
            GetVariable = name => name == Credentials.PasswordVariable ? TestServer.Password : null,
            Paths = _home.AppPaths,
            TimeZone = TimeZoneInfo.Utc,
            Reconnect = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(500) },
        };
        var run = LanTalkApp.RunAsync([server.Address, "-u", "alice", "--trust", server.Fingerprint], env);
        // Line 2 goes half a second after line 1, by when every line has been read and the end of input seen.
        await bobEvents.WaitFor(() => bobEvents.Messages.Any(m => m.Text == "line 2"), "the second line");

        await server.StopAsync();
        await Task.WhenAny(run, retrying.Task).WaitAsync(TimeSpan.FromSeconds(15));
        run.IsCompleted.Should().BeFalse("lantalk keeps reconnecting while lines wait; it exited {0}:\n{1}", run.IsCompleted ? run.Result : -1, error);
        await server.RestartAsync();

        (await Wait.ForAsync(run, "lantalk to send the rest and exit", TimeSpan.FromSeconds(30))).Should().Be(0, error.ToString());
        error.ToString().Should().NotContain("not sent").And.NotContain("not delivered").And.NotContain("gave up");
        server.History.Latest("lobby", 100).Where(m => m.Sender == "alice").Select(m => m.Text).Should().Equal(sent, "each line once, in order");
    }

    /// <summary>Stdin that delivers lines as the test adds them, like a pipe from a running script.</summary>
    /// <summary>A StringWriter that says what it holds at each flush (the chat output flushes every line).</summary>
    private sealed class FlushedWriter : StringWriter
    {
        public event Action<string>? Flushed;

        public override void Flush()
        {
            base.Flush();
            Flushed?.Invoke(ToString());
        }
    }

    private sealed class BlockingReader : TextReader
    {
        private readonly System.Collections.Concurrent.BlockingCollection<string> _lines = new();

        public void Add(string line) => _lines.Add(line);

        public void End() => _lines.CompleteAdding();

        private string _rest = string.Empty;

        // lantalk reads stdin a character at a time (only \n ends a line), so each added line is handed out that way.
        public override int Read()
        {
            if (_rest.Length == 0)
            {
                if (!_lines.TryTake(out string? line, Timeout.Infinite))
                {
                    return -1;
                }

                _rest = line + "\n";
            }

            char c = _rest[0];
            _rest = _rest[1..];
            return c;
        }

        protected override void Dispose(bool disposing)
        {
            _lines.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>lantalk with stdin and stdout redirected (pipe mode), the password from the environment, no reconnects.</summary>
    private AppEnvironment InAPipe(BlockingReader pipeIn, TextWriter output, TextWriter error) => new()
    {
        In = pipeIn,
        Out = output,
        Error = error,
        IsInputRedirected = true,
        IsOutputRedirected = true,
        GetVariable = name => name == Credentials.PasswordVariable ? TestServer.Password : null,
        Paths = _home.AppPaths,
        TimeZone = TimeZoneInfo.Utc,
        Reconnect = ReconnectPolicy.Never,
    };

    /// <summary>lantalk with a terminal on stdin (keys from <paramref name="terminal"/>) and stdout redirected, no reconnects.</summary>
    private AppEnvironment AtATerminal(TextWriter error, Func<LanTalk.Core.Terminal.IInteractiveTerminal> terminal) => new()
    {
        In = new StringReader(string.Empty),
        Out = TextWriter.Null,
        Error = error,
        IsInputRedirected = false,
        IsOutputRedirected = true,
        GetVariable = _ => null,
        Paths = _home.AppPaths,
        Reconnect = ReconnectPolicy.Never,
        Terminal = terminal,
    };
}
