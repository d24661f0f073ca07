using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using LanTalk.Server.Tests.Unit;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// The real lantalk-server executable as a child process, with its output collected line by line so tests can
/// wait for a line (with a timeout) instead of sleeping.
/// </summary>
internal sealed partial class OpsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OpsProcess(Process process) => _process = process;

    /// <summary>server/bin/&lt;Configuration&gt;/net10.0/lantalk-server, built through the test project's reference.</summary>
    public static string Executable { get; } = FindExecutable();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static OpsProcess Start(params string[] args) => Launch([], args);

    /// <summary>As <see cref="Start"/>, with the server started by <paramref name="wrapper"/> (its program and arguments before the server's path).</summary>
    public static OpsProcess StartWrapped(IReadOnlyList<string> wrapper, params string[] args) => Launch(wrapper, args);

    /// <summary>
    /// As <see cref="RunAsync"/>, with the server started by <paramref name="wrapper"/> (its program and arguments
    /// before the server's path), e.g. strace injecting disk faults.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunWrappedAsync(IReadOnlyList<string> wrapper, string? stdin, params string[] args)
    {
        await using var process = Launch(wrapper, args);
        return await process.FinishAsync(stdin);
    }

    private static OpsProcess Launch(IReadOnlyList<string> wrapper, string[] args)
    {
        var info = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in wrapper.Skip(1).Concat(wrapper.Count > 0 ? [Executable] : []).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        // The tests choose the data directory; an inherited one must not leak in.
        info.Environment.Remove("LANTALK_DATA");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var ops = new OpsProcess(process);
        process.OutputDataReceived += (_, e) => ops.Add(e.Data);
        process.ErrorDataReceived += (_, e) => ops.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return ops;
    }

    /// <summary>Runs a command to completion; standard input gets <paramref name="stdin"/> and is then closed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? stdin, params string[] args)
    {
        await using var process = Start(args);
        return await process.FinishAsync(stdin);
    }

    private async Task<(int ExitCode, string Output)> FinishAsync(string? stdin)
    {
        if (stdin is not null)
        {
            await _process.StandardInput.WriteAsync(stdin);
        }

        _process.StandardInput.Close();
        int code = await WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, Output);
    }

    /// <summary>Writes <paramref name="text"/> to standard input, then closes it.</summary>
    public void CloseInputAfter(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Close();
    }

    /// <summary>Waits until a line matches; fails the test with everything printed so far when it does not.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        bool allOutputRead = false;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                foreach (var line in _lines)
                {
                    if (pattern.Match(line) is { Success: true } match)
                    {
                        return match;
                    }
                }

                changed = _changed.Task;
            }

            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || allOutputRead)
            {
                Assert.Fail($"no line matching /{pattern}/ within {timeout.TotalSeconds} s; output:\n{Output}");
            }

            if (_process.HasExited)
            {
                // After exit, WaitForExitAsync returns once the output streams hit EOF and every line was handled:
                // one more look at the lines is then final.
                using var cancel = new CancellationTokenSource(left);
                await _process.WaitForExitAsync(cancel.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                allOutputRead = true;
                continue;
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    /// <summary>The port from the server's "Listening on ADDRESS:PORT" line.</summary>
    public async Task<int> WaitForPortAsync()
    {
        var match = await WaitForLineAsync(ListeningLine(), TimeSpan.FromSeconds(20));
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"lantalk-server still running after {timeout.TotalSeconds} s; output:\n{Output}");
        }

        // WaitForExit with no timeout drains the redirected output, so Output is complete.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public void Signal(int signal) => Kill(_process.Id, signal).Should().Be(0, "kill({0}) works", signal);

    public void KillHard() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_lock)
        {
            _lines.Add(line);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private static string FindExecutable()
    {
        // The test assembly sits in tests/LanTalk.Server.Tests/bin/<Configuration>/net10.0/.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string name = OperatingSystem.IsWindows() ? "lantalk-server.exe" : "lantalk-server";
        string built = Path.Combine(RepoRoot.Path, "server", "bin", configuration, "net10.0", name);
        return File.Exists(built) ? built : Path.Combine(AppContext.BaseDirectory, name);
    }

    [GeneratedRegex(@"Listening on \S+:(\d+)")]
    public static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
