using System.Runtime.InteropServices;

namespace LanTalk.Harness.Infra;

/// <summary>
/// Sleeps until a <see cref="Clock"/> time with sub-millisecond precision, for the open-loop sender.
/// </summary>
/// <remarks>
/// Thread.Sleep takes whole milliseconds, and on Linux Sleep(1) returns after about 1.06 ms. The sender used it
/// between due times, so it sent each message up to a millisecond after its intended time, and since latency is
/// measured from the intended time, that lateness was charged to the server: design-32 and rooms, whose server
/// latency is around a millisecond, reported a p50 of about 1.1 ms of which roughly half was the harness's own
/// sleep. nanosleep sleeps for the remainder itself (timer slack, 50 us by default, is the precision left).
/// The lateness that remains is reported per run ("sender lateness"), so a figure can be read against it.
/// </remarks>
internal static partial class PreciseSleep
{
    private const long MaxSleepNanoseconds = 50_000_000;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in Timespec request, IntPtr remaining);

    /// <summary>Returns at <paramref name="clockTicks"/> or a little after, or after 50 ms, whichever is first.</summary>
    public static void Until(long clockTicks)
    {
        long deadline = Math.Min(clockTicks, Clock.Now + (long)(MaxSleepNanoseconds * (Clock.Frequency / 1_000_000_000.0)));
        if (deadline <= Clock.Now)
        {
            return;
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            long waitMs = (deadline - Clock.Now) * 1000 / Clock.Frequency;
            Thread.Sleep((int)Math.Clamp(waitMs, 1, 50));
            return;
        }

        // Again after a sleep a signal cut short (EINTR), so it never returns before the deadline.
        for (long wait = deadline - Clock.Now; wait > 0; wait = deadline - Clock.Now)
        {
            // Rounded up, so the last sleep does not end a fraction of a nanosecond early and loop once more.
            long nanoseconds = (long)Math.Ceiling(wait * (1_000_000_000.0 / Clock.Frequency));
            NanoSleep(new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 }, IntPtr.Zero);
        }
    }
}
