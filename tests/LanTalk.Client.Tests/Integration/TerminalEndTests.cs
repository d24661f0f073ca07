using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// How lantalk ends at a real terminal (tmux, the built binary, a real server): Ctrl+C at a question before the chat
/// cancels as at ssh's and sudo's, and a chat the server ends says why once.
/// </summary>
[NonParallelizable]
public sealed class TerminalEndTests
{
    private TestServer _server = null!;
    private TempDirectory _home = null!;
    private TmuxSession? _tmux;

    [SetUp]
    public async Task SetUp()
    {
        if (!TmuxSession.IsAvailable)
        {
            Assert.Ignore("tmux is not installed (apt-get install -y tmux); the terminal tests drive lantalk inside tmux");
        }

        _server = await TestServer.StartTlsAsync("alice");
        _home = new TempDirectory();
    }

    [TearDown]
    public async Task TearDown()
    {
        _tmux?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _home?.Dispose();
    }

    [TestCase(false, "Trust this server", TestName = "Ctrl_C_at_the_trust_question_cancels_with_exit_2")]
    [TestCase(true, "Password for alice@", TestName = "Ctrl_C_at_the_password_prompt_cancels_with_exit_2")]
    public async Task Ctrl_C_at_a_prompt_cancels_with_exit_2(bool trusted, string prompt)
    {
        // Ctrl+C did nothing at these questions; only Ctrl+D got out (an outside audit, F1).
        string trust = trusted ? $" --trust {_server.Fingerprint}" : string.Empty;
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"127.0.0.1:{_server.Port} --user alice --no-color{trust}"), 100, 30);
        await _tmux.WaitFor(rows => rows.Any(r => r.Contains(prompt, StringComparison.Ordinal)), prompt);

        _tmux.Press("C-c");

        var rows = await _tmux.WaitFor(rows => rows.Any(r => r.StartsWith("EXIT=", StringComparison.Ordinal)), "lantalk to exit");
        rows.Should().Contain("lantalk: cancelled").And.Contain("EXIT=2").And.HaveCount(c => c <= 8, "nothing after the cancelled question");
    }

    [Test]
    public async Task A_kick_is_told_once_in_the_window_and_exits_7()
    {
        // The reason was printed again on stderr as "lantalk: ..." while exiting (an outside audit, F8).
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"127.0.0.1:{_server.Port} --user alice --no-color --trust {_server.Fingerprint}"), 100, 30);
        await _tmux.WaitFor(rows => rows.Any(r => r.StartsWith("Password for alice@", StringComparison.Ordinal)), "the password prompt");
        _tmux.Type(TestServer.Password);
        _tmux.Press("Enter");
        await _tmux.WaitFor(rows => rows.Count > 0 && rows[^1] == "alice #lobby>", "the chat prompt");

        _server.Server.Kick("alice", "your account was removed by the operator").Should().BeTrue();

        await _tmux.WaitFor(rows => rows.Any(r => r.StartsWith("EXIT=", StringComparison.Ordinal)), "lantalk to exit");
        var all = _tmux.History();
        all.Count(r => r.Contains("removed by the operator", StringComparison.Ordinal)).Should().Be(1, "the reason once:\n" + string.Join('\n', all));
        all.Should().Contain(r => r.StartsWith("!! ", StringComparison.Ordinal) && r.Contains("removed by the operator", StringComparison.Ordinal)).And.Contain("EXIT=7");
    }
}
