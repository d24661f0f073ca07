using System.Diagnostics;

namespace LanTalk.Client.Tests.Support;

/// <summary>
/// A private tmux server (its own -L socket) running one command in a fixed-size pane. Tests type with send-keys
/// and read the screen with capture-pane, exactly what a user at a terminal would see.
/// </summary>
internal sealed class TmuxSession : IDisposable
{
    private readonly string _socket = "lantalk-test-" + Guid.NewGuid().ToString("N")[..12];

    private TmuxSession()
    {
    }

    public static bool IsAvailable => FindOnPath("tmux") is not null;

    public static TmuxSession Start(string command, int width, int height)
    {
        var session = new TmuxSession();
        session.Tmux("new-session", "-d", "-s", "main", "-x", width.ToString(), "-y", height.ToString(), command);
        return session;
    }

    /// <summary>Types text literally (no key-name interpretation).</summary>
    public void Type(string text) => Tmux("send-keys", "-t", "main", "-l", text);

    /// <summary>Presses named keys: Enter, Left, C-c, BSpace...</summary>
    public void Press(params string[] keys) => Tmux(["send-keys", "-t", "main", .. keys]);

    /// <summary>Changes the window size, as a user dragging the terminal's corner does.</summary>
    public void Resize(int width, int height) => Tmux("resize-window", "-t", "main", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Copies everything the program writes, escape sequences and bells included, to <paramref name="file"/>.</summary>
    public void RecordOutput(string file) => Tmux("pipe-pane", "-o", "-t", "main", "cat >> '" + file.Replace("'", "'\\''", StringComparison.Ordinal) + "'");

    /// <summary>The screen plus the scrollback above it: what the user finds scrolling up.</summary>
    public IReadOnlyList<string> History() => Tmux("capture-pane", "-p", "-S", "-", "-t", "main").Split('\n').Select(r => r.TrimEnd()).ToList();

    /// <summary>The process running in the pane: the command itself when it was started with exec.</summary>
    public int PanePid() => int.Parse(Tmux("display-message", "-p", "-t", "main", "#{pane_pid}").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Closes the terminal under the program, as closing the window or a dropped SSH does: SIGHUP, then EIO on its reads and writes.</summary>
    public void HangUp() => Tmux("kill-server");

    public IReadOnlyList<string> Screen() => Tmux("capture-pane", "-p", "-t", "main").Split('\n');

    /// <summary>The screen's rows without trailing blank ones; the input row is then the last.</summary>
    public IReadOnlyList<string> VisibleRows()
    {
        var rows = Screen().Select(r => r.TrimEnd()).ToList();
        while (rows.Count > 0 && rows[^1].Length == 0)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return rows;
    }

    public (int X, int Y) Cursor()
    {
        var parts = Tmux("display-message", "-p", "-t", "main", "#{cursor_x} #{cursor_y}").Trim().Split(' ');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Polls the screen until the condition holds; a screen capture is the only thing to wait on here.</summary>
    public async Task<IReadOnlyList<string>> WaitFor(Func<IReadOnlyList<string>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var rows = VisibleRows();
            if (condition(rows))
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}; the screen shows:\n{string.Join('\n', rows)}");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try
        {
            Tmux("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {error}");
        }

        return output;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
