using System.Text.RegularExpressions;

namespace LanTalk.Harness.Infra;

/// <summary>
/// Reads what a spawned lantalk-server prints while it starts: which lines are warnings or errors (the harness
/// captures the server's output, so without this an operator never saw them), and which settings it did not know.
/// </summary>
internal static partial class StartupLog
{
    /// <summary>
    /// A WARN, ERROR or FATAL log line (console layout "yyyy-MM-dd HH:mm:ss.fff LEVEL message", or journald's
    /// "&lt;N&gt;LEVEL message"), or one of the server's own "lantalk-server: ..." diagnostics on stderr.
    /// </summary>
    public static bool IsProblem(string line) => ProblemLine().IsMatch(line) || line.StartsWith("lantalk-server: ", StringComparison.Ordinal);

    /// <summary>The line without its timestamp: the harness's output has its own order, and the time adds nothing.</summary>
    public static string WithoutTimestamp(string line) => Timestamp().Replace(line, string.Empty, 1);

    /// <summary>
    /// The Settings.xml elements the server reported as unknown and ignored. The name is asked of the server, not of
    /// a list kept here, so the check follows whichever server version is spawned.
    /// </summary>
    public static IEnumerable<(string Element, string Line)> UnknownElements(IEnumerable<string> lines) =>
        lines.Select(l => (Match: UnknownElement().Match(l), Line: l)).Where(m => m.Match.Success).Select(m => (m.Match.Groups[1].Value, m.Line));

    [GeneratedRegex(@"^(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ |<\d>)(?:WARN|ERROR|FATAL)\b")]
    private static partial Regex ProblemLine();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ")]
    private static partial Regex Timestamp();

    // lantalk-server's SettingsFile: "<path>, line N: unknown element <Name> is ignored (check the spelling; ...)".
    [GeneratedRegex(@"unknown element <([^>\s]+)> is ignored")]
    private static partial Regex UnknownElement();
}
