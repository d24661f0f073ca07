using System.Globalization;

namespace LanTalk.Harness.Infra;

/// <summary>
/// The whole machine's CPU time split from the first line of /proc/stat: how much went to other virtual machines
/// (steal) and how much was idle over a run. Read at both ends of a traffic phase and reported with it.
/// </summary>
/// <remarks>
/// On a shared host a virtual CPU can be descheduled for milliseconds at a time, and a p99 of a few ms moves with
/// that, not with the server (measured here: the same binary's rooms p99 went from 4 to 8 ms within minutes, with a
/// gen0 budget 64 times bigger and with the fsync off alike). A figure read with the steal next to it says which.
/// </remarks>
internal readonly record struct HostCpu(long Total, long Idle, long Steal)
{
    /// <summary>The machine's counters now, or all zero where /proc/stat is not there.</summary>
    public static HostCpu Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks.
            var fields = (reader.ReadLine() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9 || fields[0] != "cpu")
            {
                return default;
            }

            long total = 0;
            // guest and guest_nice are already counted in user and nice.
            for (int i = 1; i <= 8; i++)
            {
                total += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }

            return new HostCpu(total, long.Parse(fields[4], CultureInfo.InvariantCulture), long.Parse(fields[8], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return default;
        }
    }

    /// <summary>"steal S %, idle I %" over the time since <paramref name="start"/>, or null when nothing was measured.</summary>
    public string? Since(HostCpu start)
    {
        long total = Total - start.Total;
        if (total <= 0)
        {
            return null;
        }

        double steal = 100.0 * (Steal - start.Steal) / total;
        double idle = 100.0 * (Idle - start.Idle) / total;
        return string.Create(CultureInfo.InvariantCulture, $"steal {steal:0.0} %, idle {idle:0.0} % of all cores");
    }
}
