using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// The built lantalk binary in a real terminal (tmux), against the real server: what the user sees while typing
/// when messages arrive. Skipped when tmux is not installed.
/// </summary>
[NonParallelizable]
public sealed class TerminalTests
{
    private const int Width = 100;
    private TestServer _server = null!;
    private TempDirectory _home = null!;
    private ChatClient _bob = null!;
    private RecordingListener _bobEvents = null!;
    private TmuxSession _tmux = null!;

    [SetUp]
    public async Task SetUp()
    {
        if (!TmuxSession.IsAvailable)
        {
            Assert.Ignore("tmux is not installed (apt-get install -y tmux); the terminal tests drive lantalk inside tmux");
        }

        _server = await TestServer.StartTlsAsync("alice", "bob");
        _home = new TempDirectory();
        _bobEvents = new RecordingListener();
        _bob = new ChatClient(_server.ClientOptions);
        _bob.MessageReceived += (_, m) => _bobEvents.OnMessage(m);
        await _bob.ConnectAsync("127.0.0.1", _server.Port);
        await _bob.LoginAsync("bob", TestServer.Password);

        string command = LantalkCommand.Chat(_home, $"127.0.0.1:{_server.Port} --user alice --no-color --trust {_server.Fingerprint}");
        _tmux = TmuxSession.Start(command, Width, 24);

        await _tmux.WaitFor(rows => rows.Any(r => r.StartsWith("Password for alice@", StringComparison.Ordinal)), "the password prompt");
        _tmux.Type(TestServer.Password);
        _tmux.Press("Enter");
        await _tmux.WaitFor(rows => rows.Count > 0 && rows[^1] == "alice #lobby>", "the chat prompt");
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

    [Test]
    public async Task The_password_is_not_echoed_and_login_shows_who_is_online()
    {
        var rows = _tmux.VisibleRows();
        rows.Should().NotContain(r => r.Contains(TestServer.Password, StringComparison.Ordinal));
        rows.Should().Contain(r => r.StartsWith("-- online (2): alice (since ", StringComparison.Ordinal) && r.Contains("bob (since", StringComparison.Ordinal));
        await Task.CompletedTask;
    }

    [Test]
    public async Task A_message_arriving_mid_typing_leaves_the_typed_text_intact()
    {
        _tmux.Type("hello wor");
        await _tmux.WaitFor(rows => rows[^1] == "alice #lobby> hello wor", "the typed text");

        await _bob.SendPublicAsync("ping from bob");

        var screen = await _tmux.WaitFor(rows => rows.Any(r => r.EndsWith("bob: ping from bob", StringComparison.Ordinal)), "bob's message");
        screen[^1].Should().Be("alice #lobby> hello wor", "the input row is redrawn below the message, with the partial text");
        screen[^2].Should().MatchRegex(@"^\[\d\d:\d\d\] bob: ping from bob$");
        _tmux.Cursor().Should().Be((23, screen.Count - 1), "the cursor is back at the end of the typed text");

        _tmux.Type("ld");
        _tmux.Press("Enter");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.From == "alice" && m.Text == "hello world"), "bob to get alice's completed line");
        await _tmux.WaitFor(rows => rows[^1] == "alice #lobby>" && rows[^2].EndsWith("alice: hello world", StringComparison.Ordinal), "alice's own confirmed line");
    }

    [Test]
    public async Task Wide_characters_and_editing_keys_keep_the_cursor_in_place()
    {
        _tmux.Type("日本語😀 ok");
        await _tmux.WaitFor(rows => rows[^1] == "alice #lobby> 日本語😀 ok", "the CJK and emoji text");
        _tmux.Cursor().X.Should().Be(14 + 6 + 2 + 3);

        _tmux.Press("Left", "Left", "Left");
        await _bob.SendPrivateAsync("alice", "psst");
        var screen = await _tmux.WaitFor(rows => rows.Any(r => r.EndsWith("[private] bob -> alice: psst", StringComparison.Ordinal)) && rows[^1].StartsWith("alice #lobby [bob:1]>", StringComparison.Ordinal), "bob's private message and the hotlist");
        screen[^1].Should().Be("alice #lobby [bob:1]> 日本語😀 ok", "the private message shows in the prompt's hotlist");
        _tmux.Cursor().X.Should().Be(22 + 6 + 2, "three steps left of the end sits just after the emoji");

        _tmux.Press("BSpace", "Enter");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.From == "alice" && m.Text == "日本語 ok"), "the edited line");
    }

    [Test]
    public async Task Ctrl_C_quits_cleanly_and_the_archive_keeps_every_line()
    {
        _tmux.Type("last words");
        _tmux.Press("Enter");
        await _bobEvents.WaitFor(() => _bobEvents.Messages.Any(m => m.Text == "last words"), "alice's message");
        _tmux.Press("C-c");

        await _tmux.WaitFor(rows => rows.Contains("EXIT=0"), "lantalk to exit with 0");
        string folder = ArchiveLocation.Folder(Path.Combine(_home.Path, "data", "LanTalk"), new ServerAddress("127.0.0.1", _server.Port), "alice");
        ArchiveReader.Tail(folder, 5).Should().ContainSingle().Which.Should().EndWith("PUB #lobby alice: last words");
        File.ReadAllText(Path.Combine(_home.Path, "config", "LanTalk", "Settings.xml")).Should().Contain($"<Port>{_server.Port}</Port>");
    }
}
