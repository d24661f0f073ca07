using System.Diagnostics;

namespace LanTalk.Core.Tests.Support;

/// <summary>The real lantalk-harness program as a child process, and the lantalk-server built beside it.</summary>
internal static class HarnessProcess
{
    /// <summary>lantalk-server's apphost, copied into this test project's output through the TestUtilities reference.</summary>
    public static string Server { get; } = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "lantalk-server.exe" : "lantalk-server");

    /// <summary>Runs the harness to its end (bounded by <paramref name="timeout"/>, 60 s by default): exit code, stdout, stderr.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "lantalk-harness.dll") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            string error = await process.StandardError.ReadToEndAsync().WaitAsync(limit);
            await process.WaitForExitAsync().WaitAsync(limit);
            return (process.ExitCode, await output, error);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
