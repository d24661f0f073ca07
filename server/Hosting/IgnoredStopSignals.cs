using System.Globalization;

namespace LanTalk.Server.Hosting;

/// <summary>
/// The stop signals this process was started with ignored. A non-interactive shell starts a command it runs with `&amp;`
/// with SIGINT and SIGQUIT ignored, and .NET keeps a signal ignored on entry ignored even when a handler is registered
/// for it (<see cref="ShutdownSignals"/>): such a server stood deaf to Ctrl+C and `kill -INT` without a word, and a
/// test run started from a script failed its SIGINT case. The foreground server says so at start instead.
/// </summary>
internal static class IgnoredStopSignals
{
    private const string StatusFile = "/proc/self/status";

    private static readonly (int Number, string Name)[] s_stopSignals = [(2, "SIGINT"), (3, "SIGQUIT"), (15, "SIGTERM")];

    /// <summary>The names of the stop signals ignored since start; empty where /proc is missing (not Linux) or unreadable.</summary>
    public static IReadOnlyList<string> Read()
    {
        try
        {
            return File.Exists(StatusFile) ? Parse(File.ReadAllText(StatusFile)) : [];
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The stop signals set in the SigIgn mask of a /proc/PID/status text (bit n-1 is signal n).</summary>
    internal static IReadOnlyList<string> Parse(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal)
                && ulong.TryParse(line.AsSpan("SigIgn:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask))
            {
                return [.. s_stopSignals.Where(s => (mask & (1UL << (s.Number - 1))) != 0).Select(s => s.Name)];
            }
        }

        return [];
    }

    /// <summary>The start-up warning for <paramref name="ignored"/> (not empty): what does not stop the server, and what does.</summary>
    public static string Warning(IReadOnlyList<string> ignored)
    {
        string names = string.Join(" and ", ignored);
        string verb = ignored.Count == 1 ? "was" : "were";
        string them = ignored.Count == 1 ? "it" : "them";
        string remedy = ignored.Contains("SIGTERM")
            ? "only SIGKILL stops it (kill -KILL PID; every acknowledged message is already on disk)"
            : "stop it with SIGTERM (kill PID), or start it in the foreground or as a service";
        return $"{names} {verb} ignored when this server started (as a shell does for a command it runs in the background with &), so this server cannot receive {them}; {remedy}";
    }
}
