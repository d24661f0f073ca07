using System.Globalization;

namespace LanTalk.Harness.Infra;

/// <summary>CPU time and memory of a process, read from /proc (Linux only; zeros elsewhere).</summary>
internal sealed class ProcStats(int pid)
{
    private static readonly double s_ticksPerSecond = 100; // sysconf(_SC_CLK_TCK) is 100 on every Linux we target.

    public int Pid { get; } = pid;

    public bool IsAlive => File.Exists($"/proc/{Pid}/stat");

    /// <summary>utime + stime in seconds, or NaN when the process is gone.</summary>
    public double CpuSeconds()
    {
        try
        {
            var text = File.ReadAllText($"/proc/{Pid}/stat");
            // The command name is in parentheses and may hold spaces: fields count from the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            long stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (utime + stime) / s_ticksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    /// <summary>Current resident set in bytes (VmRSS).</summary>
    public long RssBytes() => ReadStatusKb("VmRSS:") * 1024;

    /// <summary>Peak resident set in bytes (VmHWM).</summary>
    public long PeakRssBytes() => ReadStatusKb("VmHWM:") * 1024;

    public int Threads() => (int)ReadStatusKb("Threads:");

    private long ReadStatusKb(string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var value = line[key.Length..].Trim();
                    int space = value.IndexOf(' ', StringComparison.Ordinal);
                    return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }

        return 0;
    }
}
