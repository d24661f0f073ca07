namespace LanTalk.Server.Settings;

/// <summary>
/// A value from a data file as an error message quotes it: control characters as '?' (not raw to the terminal),
/// and a long one cut short with its length. A 300 MB &lt;ServerName&gt; was quoted whole, one 300-million-character
/// line on standard error (fault injection, 2026-12-04).
/// </summary>
internal static class ShownValue
{
    public static string Of(string value, int max = 80)
    {
        var shown = new string(value.Take(max).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return value.Length <= max ? shown : $"{shown}... ({value.Length} characters)";
    }
}
