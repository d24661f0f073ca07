using System.Text.RegularExpressions;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// What someone used to irssi expects, tried in a real terminal (tmux) with the built lantalk: reconnecting for
/// ever, pastes, mentions and the bell, nick completion, Ctrl+C, resizing, trust before the password.
/// Skipped when tmux is not installed.
/// </summary>
[NonParallelizable]
public sealed partial class ChatExperienceTests
{
    private const int Width = 100;
    private TestServer _server = null!;
    private TempDirectory _home = null!;
    private ChatClient? _bob;
    private RecordingListener _bobEvents = null!;
    private TmuxSession? _tmux;

    private TmuxSession Tmux => _tmux!;

    [SetUp]
    public async Task SetUp()
    {
        if (!TmuxSession.IsAvailable)
        {
            Assert.Ignore("tmux is not installed (apt-get install -y tmux); the terminal tests drive lantalk inside tmux");
        }

        _server = await TestServer.StartTlsAsync("alice", "bob");
        _home = new TempDirectory();
        await ConnectBobAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        _tmux?.Dispose();
        if (_bob is not null)
        {
            await _bob.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _home?.Dispose();
    }

    private async Task ConnectBobAsync()
    {
        _bobEvents = new RecordingListener();
        _bob = new ChatClient(_server.ClientOptions);
        _bob.MessageReceived += (_, m) => _bobEvents.OnMessage(m);
        await _bob.ConnectAsync("127.0.0.1", _server.Port);
        await _bob.LoginAsync("bob", TestServer.Password);
    }

    /// <summary>
    /// Starts lantalk as alice in tmux and logs in; returns once the chat prompt shows. <paramref name="fromShell"/>: typed
    /// into an interactive bash, which has job control (Ctrl+Z, fg), instead of run as the pane's command.
    /// </summary>
    private async Task StartAliceAsync(string settings = "", string options = "--no-color", bool fromShell = false)
    {
        if (settings.Length > 0)
        {
            LantalkCommand.WriteSettings(_home, settings);
        }

        string chat = LantalkCommand.Chat(_home, $"127.0.0.1:{_server.Port} --user alice {options} --trust {_server.Fingerprint}");
        _tmux = TmuxSession.Start(fromShell ? "env PS1='$ ' bash --norc --noprofile -i" : chat, Width, 24);
        if (fromShell)
        {
            // lantalk alone: in a list ("lantalk; echo ...") bash would go on with the rest when lantalk stops.
            Tmux.Type(chat[..chat.IndexOf("; echo EXIT=", StringComparison.Ordinal)]);
            Tmux.Press("Enter");
        }

        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("Password for alice@", StringComparison.Ordinal)), "the password prompt");
        Tmux.Type(TestServer.Password);
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Count > 0 && rows[^1] == "alice #lobby>", "the chat prompt");
    }

    [Test]
    public async Task After_the_server_was_down_for_many_tries_the_client_reconnects_by_itself_and_sends_what_was_typed()
    {
        // A 2 s cap instead of 60 s, so fifteen tries (more than the old limit of eight) take about 30 s. A failed try
        // is told at tries 2, 4, 8, 16 ... (the prompt counts down to each), so the 15th is the first told past eight.
        await StartAliceAsync("<ReconnectMaxDelaySeconds>2</ReconnectMaxDelaySeconds>");

        await _bob!.DisposeAsync();
        _bob = null;
        await _server.StopAsync();

        await Tmux.WaitFor(rows => OfflinePrompt().IsMatch(rows[^1]), "the offline prompt with a countdown");
        Tmux.Type("/reconnect");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("trying to reconnect now", StringComparison.Ordinal) || r.Contains("a reconnect is already under way", StringComparison.Ordinal)), "/reconnect's answer");
        Tmux.Type("typed while offline");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("\"typed while offline\" waits and is sent to #lobby once the connection is back", StringComparison.Ordinal)), "the queued line");

        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("try 15 failed", StringComparison.Ordinal)), "a fifteenth failed try: it does not give up", TimeSpan.FromSeconds(60));
        Tmux.VisibleRows().Should().NotContain(r => r.Contains("gave up", StringComparison.Ordinal) || r.StartsWith("EXIT=", StringComparison.Ordinal));

        await _server.RestartAsync();

        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.Contains("reconnected as alice", StringComparison.Ordinal)) && rows[^1] == "alice #lobby>", "the reconnect", TimeSpan.FromSeconds(20));
        await Tmux.WaitFor(rows => rows.Any(r => r.EndsWith("alice: typed while offline", StringComparison.Ordinal)), "the queued line, confirmed by the server");
    }

    [Test]
    public async Task Quit_while_a_typed_line_waits_for_the_connection_warns_once_then_exits_9_naming_the_line()
    {
        await StartAliceAsync();
        await _bob!.DisposeAsync();
        _bob = null;
        await _server.StopAsync();
        await Tmux.WaitFor(rows => OfflinePrompt().IsMatch(rows[^1]), "the offline prompt");
        Tmux.Type("typed while offline");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("\"typed while offline\" waits and is sent", StringComparison.Ordinal)), "the queued line");

        Tmux.Type("/quit");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("1 message not sent yet (not connected); /quit again leaves without it", StringComparison.Ordinal)), "the warning");
        Tmux.VisibleRows().Should().NotContain(r => r.StartsWith("EXIT=", StringComparison.Ordinal), "the first /quit only warns");

        Tmux.Type("/quit");
        Tmux.Press("Enter");
        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("EXIT=", StringComparison.Ordinal)), "lantalk to exit");
        screen.Should().Contain("EXIT=9", "a line typed and never sent is a message not delivered, as in pipe mode");
        screen.Should().Contain(r => r.Contains("not sent: \"typed while offline\"", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_paste_of_many_lines_is_confirmed_once_then_sent_in_order()
    {
        await StartAliceAsync();

        // The blank line sends nothing, so the question counts the five lines that will be messages.
        Tmux.Type("p1\rp2\r\rp3\rp4\rp5\r");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("you pasted 5 lines: send them as 5 messages?", StringComparison.Ordinal)), "the paste question");
        _bobEvents.Messages.Should().BeEmpty("nothing is sent before the answer");
        Tmux.Type("y");
        Tmux.Press("Enter");

        await _bobEvents.WaitFor(() => _bobEvents.Messages.Count(m => m.From == "alice") == 5, "the five pasted lines");
        _bobEvents.Messages.Where(m => m.From == "alice").Select(m => m.Text).Should().Equal("p1", "p2", "p3", "p4", "p5");
    }

    [Test]
    [Platform("Linux")]
    public async Task Ctrl_Z_stops_the_chat_for_the_shell_and_it_comes_back_with_the_draft()
    {
        await StartAliceAsync(fromShell: true);
        Tmux.Type("half a thought");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby> half a thought", "the draft");

        Tmux.Press("C-z");

        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("Stopped", StringComparison.Ordinal)) && rows[^1] == "$", "the shell's prompt after the stop");
        Tmux.Type("fg");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby> half a thought", "the prompt and the draft again");
        Tmux.Type(", finished");
        Tmux.Press("Enter");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.From == "alice"), "alice's message");
        _bobEvents.Messages.Where(m => m.From == "alice").Select(m => m.Text).Should().Equal("half a thought, finished");
    }

    [Test]
    public async Task A_message_typed_instead_of_answering_the_paste_question_drops_the_paste_and_is_sent()
    {
        await StartAliceAsync();

        Tmux.Type("p1\rp2\rp3\rp4\rp5\r");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("you pasted 5 lines", StringComparison.Ordinal)), "the paste question");
        Tmux.Type("sorry, wrong window");
        Tmux.Press("Enter");

        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.From == "alice"), "alice's typed message");
        _bobEvents.Messages.Where(m => m.From == "alice").Select(m => m.Text).Should().Equal("sorry, wrong window");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("paste dropped; what you typed after it goes on as usual", StringComparison.Ordinal)), "the note");
    }

    [Test]
    public async Task A_mention_or_a_private_message_rings_the_bell_and_shows_in_the_hotlist_until_you_write()
    {
        await StartAliceAsync();
        string raw = Path.Combine(_home.Path, "raw-output");
        Tmux.RecordOutput(raw);

        await _bob!.SendPublicAsync("no mention of malice here");
        await _bob.SendPublicAsync("hey Alice, lunch?");
        await Tmux.WaitFor(rows => rows.Any(r => r.EndsWith("bob: hey Alice, lunch?", StringComparison.Ordinal)) && rows[^1] == "alice #lobby [@1]>", "the mention and the hotlist");
        BellsOnceRecorded(raw, 1).Should().Be(1, "the mention rings once; 'malice' is no mention");

        await _bob.SendPrivateAsync("alice", "psst");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby [bob:1 @1]>", "the private message in the hotlist");
        BellsOnceRecorded(raw, 2).Should().Be(2, "a private message rings too");

        Tmux.Type("on my way");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby>", "the hotlist cleared by writing");
    }

    [Test]
    public async Task The_bell_setting_turns_the_bell_off()
    {
        await StartAliceAsync("<Display><Bell>false</Bell></Display>");
        string raw = Path.Combine(_home.Path, "raw-output");
        Tmux.RecordOutput(raw);

        await _bob!.SendPublicAsync("alice: ping");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby [@1]>", "the mention");
        Bells(raw).Should().Be(0);
    }

    [Test]
    public async Task Tab_at_the_start_of_a_line_addresses_a_user()
    {
        await StartAliceAsync();
        Tmux.Type("bo");
        Tmux.Press("Tab");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby> bob:", "the completed address");
        Tmux.Cursor().X.Should().Be(19, "after 'bob: ', ready to type");
    }

    [Test]
    public async Task Ctrl_C_clears_a_draft_and_a_second_Ctrl_C_quits()
    {
        await StartAliceAsync();
        Tmux.Type("half a thought");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby> half a thought", "the draft");

        Tmux.Press("C-c");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby>" && rows.Any(r => r.Contains("draft cleared; Ctrl+C again quits", StringComparison.Ordinal)), "the cleared draft");
        Tmux.VisibleRows().Should().NotContain(r => r.StartsWith("EXIT=", StringComparison.Ordinal));

        Tmux.Press("C-c");
        await Tmux.WaitFor(rows => rows.Contains("EXIT=0"), "lantalk to exit with 0");
    }

    [Test]
    public async Task A_narrower_window_leaves_no_ghost_of_the_input_line()
    {
        await StartAliceAsync();
        string typed = string.Concat(Enumerable.Repeat("0123456789", 8));
        Tmux.Type(typed);
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby> " + typed, "the long draft");

        Tmux.Resize(50, 24);
        await _bob!.SendPublicAsync("after the resize");
        await Tmux.WaitFor(rows => rows.Any(r => r.EndsWith("bob: after the resize", StringComparison.Ordinal)), "a message after the resize");

        var history = Tmux.History();
        history.Count(r => r.Contains("alice #lobby> ", StringComparison.Ordinal) || r.Contains("01234567890123", StringComparison.Ordinal)).Should().Be(1,
            $"only the input row itself shows the draft; the screen and scrollback were:\n{string.Join('\n', history)}");
        history.Where(r => r.Length > 0).Last().Should().StartWith("alice #lobby> ").And.EndWith("789");
    }

    [Test]
    public async Task The_server_is_trusted_before_the_password_is_asked_and_no_explains_itself()
    {
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"127.0.0.1:{_server.Port} --user alice --no-color"), Width, 24);
        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.Contains("Trust this server and remember its fingerprint? [y/N]", StringComparison.Ordinal)), "the trust question");
        screen.Should().NotContain(r => r.Contains("Password", StringComparison.Ordinal), "as ssh does: the host first, then the password");
        screen.Should().Contain(r => r.Contains(_server.Fingerprint, StringComparison.Ordinal));

        Tmux.Type("n");
        Tmux.Press("Enter");
        screen = await Tmux.WaitFor(rows => rows.Contains("EXIT=3"), "lantalk to exit 3");
        string all = string.Join(' ', screen);
        all.Should().Contain("you did not trust its certificate").And.Contain("answer y");
        all.Should().NotContain("on a terminal").And.NotContain("Password");
    }

    [Test]
    public async Task Answering_yes_to_the_trust_question_leads_to_the_password_prompt_and_the_chat()
    {
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"127.0.0.1:{_server.Port} --user alice --no-color"), Width, 24);
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("[y/N]", StringComparison.Ordinal)), "the trust question");
        Tmux.Type("y");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("Password for alice@", StringComparison.Ordinal)), "the password prompt after the trust question");
        Tmux.Type(TestServer.Password);
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows[^1] == "alice #lobby>", "the chat prompt");
    }

    [Test]
    public async Task Register_asks_the_new_password_twice_without_echo_and_creates_the_account()
    {
        await using var open = await TestServer.StartTlsAsync(null, s => s with { AllowRegistration = true }, "alice");
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"register --server 127.0.0.1:{open.Port} --user carol --trust {open.Fingerprint}"), Width, 24);

        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("New password for carol@", StringComparison.Ordinal)), "the first password prompt");
        Tmux.Type("short");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("Repeat it:", StringComparison.Ordinal)), "the second prompt");
        Tmux.Type("short");
        Tmux.Press("Enter");
        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("EXIT=", StringComparison.Ordinal)), "the refusal");
        string.Join(' ', screen).Should().Contain("too short").And.Contain("at least 8").And.Contain("EXIT=1").And.NotContain("short short");

        Tmux.Dispose();
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"register 127.0.0.1:{open.Port} --user carol --trust {open.Fingerprint}"), Width, 24);
        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("New password for carol@", StringComparison.Ordinal)), "the first password prompt");
        Tmux.Type("long enough");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("Repeat it:", StringComparison.Ordinal)), "the second prompt");
        Tmux.Type("long enough");
        Tmux.Press("Enter");
        screen = await Tmux.WaitFor(rows => rows.Contains("EXIT=0"), "the account");
        screen.Should().Contain(r => r.StartsWith("Created the account 'carol'", StringComparison.Ordinal));
        screen.Should().NotContain(r => r.Contains("long enough", StringComparison.Ordinal), "nothing is echoed");

        await using var carol = new ChatClient(open.ClientOptions);
        await carol.ConnectAsync("127.0.0.1", open.Port);
        (await carol.LoginAsync("carol", "long enough")).UserName.Should().Be("carol");
    }

    [Test]
    public async Task Register_on_a_server_without_registration_says_so_before_asking_for_a_password()
    {
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"register --server 127.0.0.1:{_server.Port} --user carol --trust {_server.Fingerprint}"), Width, 24);
        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("EXIT=", StringComparison.Ordinal)), "the refusal");
        string all = string.Join(' ', screen);
        all.Should().Contain("does not allow registration").And.Contain("EXIT=1").And.NotContain("password");
    }

    [Test]
    public async Task Alt_and_a_digit_switches_rooms_and_says_so_and_Alt_0_never_types_a_digit()
    {
        // Alt+0 typed a literal 0 in front of the next line, and Alt+4 with one room said nothing (an audit, 2026-12-06).
        await StartAliceAsync();
        Tmux.Type("/join dev");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Count > 0 && rows[^1] == "alice #dev>", "in #dev");

        Tmux.Press("M-1");
        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("-- now in #lobby", StringComparison.Ordinal)) && rows[^1] == "alice #lobby>", "Alt+1: the first room, said");
        Tmux.Press("M-4");
        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("-- no room 4: you are in 2 rooms", StringComparison.Ordinal)), "Alt+4: no such room, said");
        Tmux.Press("M-0");
        Tmux.Type("typed after Alt+0");
        Tmux.Press("Enter");
        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.EndsWith("alice: typed after Alt+0", StringComparison.Ordinal)), "the line, as typed");
        screen.Should().Contain(r => r.StartsWith("-- no room 10", StringComparison.Ordinal));
    }

    private static int Bells(string file) => File.Exists(file) ? File.ReadAllText(file).Count(c => c == '\a') : 0;

    /// <summary>
    /// The bells in the recording once it holds <paramref name="expected"/> (or the wait ends): tmux writes the
    /// recording a moment after the screen shows the line, and one read right after the prompt found 1 bell of 2.
    /// </summary>
    private static int BellsOnceRecorded(string file, int expected)
    {
        SpinWait.SpinUntil(() => Bells(file) >= expected, TimeSpan.FromSeconds(5));
        return Bells(file);
    }

    [GeneratedRegex(@"^alice #lobby \(offline, (try \d+ in \d+ s|connecting \(try \d+\))\)>$")]
    private static partial Regex OfflinePrompt();
}
