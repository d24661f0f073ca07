using System.Diagnostics;
using System.Text.RegularExpressions;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// The built lantalk-server in the foreground in tmux, whose terminal then closes (the window closed, SSH dropped):
/// it must stop as on any signal, not die on the failed read or write of the terminal that is gone.
/// Skipped when tmux is not installed.
/// </summary>
[NonParallelizable]
public sealed partial class OperatorConsoleHangupTests
{
    private const string Prompt = "lantalk-server>";
    private TempDirectory _data = null!;
    private TmuxSession? _tmux;

    private TmuxSession Tmux => _tmux!;

    [SetUp]
    public async Task SetUp()
    {
        if (!TmuxSession.IsAvailable)
        {
            Assert.Ignore("tmux is not installed (apt-get install -y tmux); the terminal tests drive lantalk-server inside tmux");
        }

        _data = new TempDirectory();
        // exec: the pane's process is the server, so its pid is the one to watch after the hangup.
        string command = $"exec {LantalkCommand.Executable("lantalk-server")} --data {LantalkCommand.Quote(_data.Path)} --listen 127.0.0.1 --port 0 --plaintext";
        _tmux = TmuxSession.Start(command, 120, 30);
        await Tmux.WaitFor(rows => rows.Count > 0 && rows[^1] == Prompt && rows.Any(r => ListeningOn().IsMatch(r)), "the console prompt", TimeSpan.FromSeconds(30));
    }

    [TearDown]
    public void TearDown()
    {
        _tmux?.Dispose();
        _data?.Dispose();
    }

    [TestCase("")]
    [TestCase("say a line the operator was still typing")]
    public async Task A_closed_terminal_stops_the_server_cleanly(string typing)
    {
        if (typing.Length > 0)
        {
            Tmux.Type(typing);
            await Tmux.WaitFor(rows => rows[^1] == Prompt + " " + typing, "the half-typed line");
        }

        using var server = Process.GetProcessById(Tmux.PanePid());
        Tmux.HangUp();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await server.WaitForExitAsync(timeout.Token);
        string log = await File.ReadAllTextAsync(Path.Combine(_data.Path, "logs", "lantalk-server.log"));
        log.Should().Contain("Stopping: signal SIGHUP");
        log.Should().Contain("Stopped", "the server went on to stop cleanly; it aborted on the dead terminal's EIO before");
        File.Exists(Path.Combine(_data.Path, "history.db-wal")).Should().BeFalse("a clean stop checkpoints and removes the write-ahead log");
    }

    [GeneratedRegex(@"Listening on .*:(\d+) \(")]
    private static partial Regex ListeningOn();
}
