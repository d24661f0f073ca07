using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// Ctrl+C at the questions asked before the chat cancels, as at ssh's and sudo's: it did nothing at the trust question
/// and the password prompt, and only Ctrl+D got out (an outside audit, F1). The built binary in tmux, a real server.
/// </summary>
[NonParallelizable]
public sealed class PromptCancelTests
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

    [Test]
    public async Task Ctrl_C_at_the_trust_question_cancels_with_exit_2()
    {
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"127.0.0.1:{_server.Port} --user alice --no-color"), 100, 30);
        await _tmux.WaitFor(rows => rows.Any(r => r.Contains("Trust this server", StringComparison.Ordinal)), "the trust question");

        _tmux.Press("C-c");

        var rows = await _tmux.WaitFor(rows => rows.Any(r => r.StartsWith("EXIT=", StringComparison.Ordinal)), "lantalk to exit");
        rows.Should().Contain("lantalk: cancelled").And.Contain("EXIT=2").And.NotContain(r => r.StartsWith("Password for", StringComparison.Ordinal));
    }

    [Test]
    public async Task Ctrl_C_at_the_password_prompt_cancels_with_exit_2()
    {
        _tmux = TmuxSession.Start(LantalkCommand.Chat(_home, $"127.0.0.1:{_server.Port} --user alice --no-color --trust {_server.Fingerprint}"), 100, 30);
        await _tmux.WaitFor(rows => rows.Any(r => r.StartsWith("Password for alice@", StringComparison.Ordinal)), "the password prompt");

        _tmux.Press("C-c");

        var rows = await _tmux.WaitFor(rows => rows.Any(r => r.StartsWith("EXIT=", StringComparison.Ordinal)), "lantalk to exit");
        rows.Should().Contain("lantalk: cancelled").And.Contain("EXIT=2");
    }
}
