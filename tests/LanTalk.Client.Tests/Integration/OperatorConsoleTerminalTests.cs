using System.Text.RegularExpressions;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// The server's operator console in a real terminal (tmux), with the built lantalk-server in the foreground: the
/// client's line editor, so a prompt, history, Tab completion, and log lines above what the operator types.
/// Skipped when tmux is not installed.
/// </summary>
[NonParallelizable]
public sealed partial class OperatorConsoleTerminalTests
{
    private const string Prompt = "lantalk-server>";
    private TempDirectory _data = null!;
    private TmuxSession? _tmux;
    private int _port;

    private TmuxSession Tmux => _tmux!;

    [SetUp]
    public async Task SetUp()
    {
        if (!TmuxSession.IsAvailable)
        {
            Assert.Ignore("tmux is not installed (apt-get install -y tmux); the terminal tests drive lantalk-server inside tmux");
        }

        _data = new TempDirectory();
        using (var store = UserStore.Open(_data.Path, ServerSettings.Default))
        {
            store.Add("alice", TestServer.Password, iterations: 1000);
            store.Add("albert", TestServer.Password, iterations: 1000);
        }

        string command = $"{LantalkCommand.Executable("lantalk-server")} --data {LantalkCommand.Quote(_data.Path)} --listen 127.0.0.1 --port 0 --plaintext; echo EXIT=$?; sleep 60";
        _tmux = TmuxSession.Start(command, 120, 30);
        var screen = await Tmux.WaitFor(rows => rows.Count > 0 && rows[^1] == Prompt && rows.Any(r => ListeningOn().IsMatch(r)), "the console prompt", TimeSpan.FromSeconds(30));
        _port = int.Parse(screen.Select(r => ListeningOn().Match(r)).First(m => m.Success).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [TearDown]
    public void TearDown()
    {
        _tmux?.Dispose();
        _data?.Dispose();
    }

    [Test]
    public async Task Tab_completes_commands_and_help_ends_before_the_next_prompt()
    {
        Tmux.Type("he");
        Tmux.Press("Tab");
        await Tmux.WaitFor(rows => rows[^1] == Prompt + " help", "the completed command");
        Tmux.Press("Enter");

        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.Contains("stop  ", StringComparison.Ordinal) && r.Contains("stop the server", StringComparison.Ordinal)) && rows[^1] == Prompt, "the help and a fresh prompt");
        screen.Should().Contain(Prompt + " help", "the command stays on screen, as in a shell");
        screen[^2].Should().Contain("stop the server", "the help's last line is complete and the prompt sits below it");

        Tmux.Type("who");
        await Tmux.WaitFor(rows => rows[^1] == Prompt + " who", "the next command on its own row");
    }

    [Test]
    public async Task Tab_completes_user_names_and_Up_recalls_the_last_command()
    {
        Tmux.Type("passwd al");
        Tmux.Press("Tab");
        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.Contains("albert  alice", StringComparison.Ordinal)), "the two matching accounts listed");
        Tmux.Type("i");
        Tmux.Press("Tab");
        await Tmux.WaitFor(rows => rows[^1] == Prompt + " passwd alice", "the completed name");
        Tmux.Press("C-u");
        Tmux.Type("users");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("2 account(s)", StringComparison.Ordinal)) && rows[^1] == Prompt, "the account list");

        Tmux.Press("Up");
        await Tmux.WaitFor(rows => rows[^1] == Prompt + " users", "the recalled command");
    }

    [Test]
    public async Task Ctrl_C_at_the_password_prompt_cancels_the_command_not_the_server()
    {
        Tmux.Type("adduser bob");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("New password for bob:", StringComparison.Ordinal)), "the password prompt");

        Tmux.Press("C-c");

        await Tmux.WaitFor(rows => rows[^1] == Prompt && rows.Any(r => r.Contains("cancelled", StringComparison.Ordinal)), "the command cancelled and a fresh prompt");
        Tmux.Type("users");
        Tmux.Press("Enter");
        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("2 account(s)", StringComparison.Ordinal)) && rows[^1] == Prompt, "the server still running, bob not added");
        screen.Should().NotContain(r => r.Contains("EXIT=", StringComparison.Ordinal) || r.Contains("Stopping", StringComparison.Ordinal));
    }

    [Test]
    public async Task Ctrl_C_throws_a_half_typed_line_away_and_on_an_empty_line_is_stop_which_asks_first_while_anyone_is_online()
    {
        // It stopped the server at once, half-typed line and eight sessions online alike (a UX audit, 2026-12-05).
        await using var alice = new ChatClient();
        await alice.ConnectAsync("127.0.0.1", _port);
        await alice.LoginAsync("alice", TestServer.Password);

        Tmux.Type("kick alice");
        await Tmux.WaitFor(rows => rows[^1] == Prompt + " kick alice", "the half-typed command");
        Tmux.Press("C-c");
        await Tmux.WaitFor(rows => rows[^1] == Prompt, "the line thrown away");

        Tmux.Press("C-c");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("session(s) online: type 'stop' (or press Ctrl+C) again", StringComparison.Ordinal)), "the question");
        alice.IsConnected.Should().BeTrue("nothing stopped yet");

        Tmux.Press("C-c");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("EXIT=0", StringComparison.Ordinal)), "the server stopped", TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task Log_lines_go_above_the_half_typed_command()
    {
        Tmux.Type("wh");
        await Tmux.WaitFor(rows => rows[^1] == Prompt + " wh", "the half-typed command");

        await using var alice = new ChatClient();
        await alice.ConnectAsync("127.0.0.1", _port);
        await alice.LoginAsync("alice", TestServer.Password);

        var screen = await Tmux.WaitFor(rows => rows.Any(r => r.Contains("alice@127.0.0.1", StringComparison.Ordinal) && r.Contains("logged in", StringComparison.Ordinal)), "the login log line");
        screen[^1].Should().Be(Prompt + " wh", "the log line went above; the typed text is intact");
        screen.Should().NotContain(r => r.Contains("wh" + "20", StringComparison.Ordinal) || (r.Contains("logged in", StringComparison.Ordinal) && r.StartsWith(Prompt, StringComparison.Ordinal)));
        Tmux.Cursor().X.Should().Be(Prompt.Length + 3);

        Tmux.Type("o");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.StartsWith("alice ", StringComparison.Ordinal) && r.Contains("127.0.0.1", StringComparison.Ordinal)) && rows[^1] == Prompt, "who's answer");

        Tmux.Type("stop");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("type 'stop' (or press Ctrl+C) again", StringComparison.Ordinal)) && rows[^1] == Prompt, "the question, since alice is online");
        Tmux.Type("stop");
        Tmux.Press("Enter");
        var end = await Tmux.WaitFor(rows => rows.Contains("EXIT=0"), "the server to stop");
        end.Should().NotContain(r => r == Prompt, "the prompt is cleared when the server stops");
    }

    [Test]
    public async Task Reload_typed_at_the_console_applies_the_live_settings_and_names_the_rest_for_a_restart()
    {
        // In the foreground SIGHUP means the terminal closed, so before this an operator had to restart to change a limit.
        File.WriteAllText(Path.Combine(_data.Path, "Settings.xml"),
            "<Settings>\n  <MaxClients>40</MaxClients>\n  <ServerName>Renamed</ServerName>\n</Settings>\n");

        Tmux.Type("reload");
        Tmux.Press("Enter");

        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("Settings reloaded, applied now: MaxClients 32 -> 40", StringComparison.Ordinal)),
            "the live setting applied");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("only after a restart: ServerName", StringComparison.Ordinal)) && rows[^1] == Prompt,
            "the other one named for a restart, and the prompt back");
        Tmux.Type("stats");
        Tmux.Press("Enter");
        await Tmux.WaitFor(rows => rows.Any(r => r.Contains("(MaxClients 40)", StringComparison.Ordinal)), "the running server on the new limit");
    }

    [GeneratedRegex(@"Listening on .*:(\d+) \(")]
    private static partial Regex ListeningOn();
}
