using System.Diagnostics;

namespace LanTalk.Harness.Infra;

/// <summary>One monotonic clock for the whole process, so a timestamp written by one client reads right in another.</summary>
internal static class Clock
{
    private static readonly long s_origin = Stopwatch.GetTimestamp();

    /// <summary>Monotonic ticks since the harness started (Stopwatch ticks; nanoseconds on Linux).</summary>
    public static long Now => Stopwatch.GetTimestamp() - s_origin;

    public static long Frequency => Stopwatch.Frequency;

    public static long FromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);

    public static double ToSeconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    public static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
