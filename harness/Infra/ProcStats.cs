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

    /// <summary>
    /// Voluntary and involuntary context switches of every live thread, or (-1, -1) when the process is gone. Summed
    /// over /proc/PID/task/*/status because /proc/PID/status counts only the main thread, which in a .NET server is
    /// idle: the switches that matter are on the thread pool and the socket engine's epoll thread. Voluntary ones are
    /// the server's own hand-offs; involuntary ones are preemption, which grows with whatever else the cores run.
    /// </summary>
    public (long Voluntary, long Involuntary) ContextSwitches()
    {
        try
        {
            long voluntary = 0;
            long involuntary = 0;
            foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
            {
                voluntary += ReadStatusValue($"{task}/status", "voluntary_ctxt_switches:");
                involuntary += ReadStatusValue($"{task}/status", "nonvoluntary_ctxt_switches:");
            }

            return (voluntary, involuntary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (-1, -1);
        }
    }

    /// <summary>Current resident set in bytes (VmRSS).</summary>
    public long RssBytes() => ReadStatusKb("VmRSS:") * 1024;

    /// <summary>Peak resident set in bytes (VmHWM).</summary>
    public long PeakRssBytes() => ReadStatusKb("VmHWM:") * 1024;

    public int Threads() => (int)ReadStatusKb("Threads:");

    private long ReadStatusKb(string key) => ReadStatusValue($"/proc/{Pid}/status", key);

    private static long ReadStatusValue(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
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
