namespace LanTalk.Harness.Infra;

/// <summary>What a spawned server printed while it started: its warnings shown, and a --set name it did not know refused.</summary>
internal sealed partial class SpawnedServer
{
    // Start-up warnings already shown: bench and conformance start many servers that print the same ones.
    private static readonly HashSet<string> s_shown = new(StringComparer.Ordinal);
    private static readonly Lock s_shownLock = new();

    /// <summary>
    /// Shows the warnings and errors the server printed while starting (its output is captured, so they went unseen),
    /// and refuses a <c>--set</c> name the server ignored as unknown: the run would have measured its default.
    /// </summary>
    private void ReportStartup()
    {
        List<string> problems;
        lock (_outputLock)
        {
            problems = [.. _startupProblems];
        }

        // The temporary directory differs for each server and is deleted afterwards: it is called <data>.
        string Shown(string line) => StartupLog.WithoutTimestamp(line).Replace(DataDirectory, "<data>", StringComparison.Ordinal);
        foreach (string line in problems)
        {
            string text = Shown(line);
            lock (s_shownLock)
            {
                if (s_shown.Add(text))
                {
                    Console.Error.WriteLine($"lantalk-harness: the spawned server said at start: {text}");
                }
            }
        }

        if (StartupLog.UnknownElements(problems).FirstOrDefault(u => Setup.SetByOperator.Contains(u.Element)) is ({ } element, { } said))
        {
            throw new HarnessException($"--set {element}: the spawned server does not know this setting and ignored it, so the run would use its default. "
                + $"Check the spelling; '{_exe} config show-defaults settings' lists the settings. The server said: {Shown(said)}");
        }
    }
}
