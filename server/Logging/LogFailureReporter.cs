using NLog;
using NLog.Common;

namespace LanTalk.Server.Logging;

/// <summary>
/// NLog swallows a failed write (full disk, a log directory made read-only while running) and records it only in
/// its internal log, which is off. This listens to that internal log and puts target failures on standard error,
/// the first at once and then one reminder a minute with a count, so lost log lines are never silent and a full disk
/// is not filled further by the reports. It never logs through NLog, which is what is failing.
/// </summary>
public static class LogFailureReporter
{
    /// <summary>A minute: a reminder stays on screen and in journald without a line per lost log line.</summary>
    public static readonly TimeSpan ReminderInterval = TimeSpan.FromMinutes(1);

    /// <summary>No failure for this long: logging works again, and the count of the lines lost is reported.</summary>
    public static readonly TimeSpan QuietAfter = TimeSpan.FromSeconds(10);

    private static readonly RepeatingFailure s_failure = new(ReminderInterval);
    private static int s_installed;

    // Looks every few seconds whether the failures stopped; only while installed (the server's lifetime).
    private static Timer? s_recoveryWatch;

    // Set while this thread loads a configuration with ThrowConfigExceptions on. NLog logs a typo in NLog.config
    // (type="Consol") as an internal Error before it throws it; the exception is what reports it (exit 2 at start,
    // "was not reloaded, the previous logging stays" on reload), and reporting the internal Error as well told the
    // operator log lines were being lost on a failing disk, with a "failed write" count 10 s later, though the old
    // configuration went on writing every line (an ops audit, 2026-12-06). Per thread: a real write failure on another
    // thread meanwhile is still reported.
    [ThreadStatic]
    private static bool t_loadingConfiguration;

    /// <summary>Where the reports go; standard error unless a test replaces it.</summary>
    public static TextWriter Output { get; set; } = Console.Error;

    /// <summary>Subscribes once; call after each configuration load, which may have changed the internal log level.</summary>
    public static void Install()
    {
        // Warn and above: write failures are Error, and an operator's internalLogLevel="Off" must not hide them.
        if (InternalLogger.LogLevel > LogLevel.Warn)
        {
            InternalLogger.LogLevel = LogLevel.Warn;
        }

        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            InternalLogger.InternalEventOccurred += (_, e) => Report(e.Level, e.Message, e.Exception, e.SenderName);
            s_recoveryWatch = new Timer(_ => ReportRecovery(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>
    /// Runs <paramref name="load"/>, which reads and applies a logging configuration and throws what is wrong with it,
    /// without reporting NLog's internal errors about that configuration as failed writes.
    /// </summary>
    public static T WhileLoadingConfiguration<T>(Func<T> load)
    {
        bool outer = t_loadingConfiguration;
        t_loadingConfiguration = true;
        try
        {
            return load();
        }
        finally
        {
            t_loadingConfiguration = outer;
        }
    }

    /// <summary>
    /// The end of an outage, with its toll: a 5 s outage of the log disk lost about 230 lines, and the log showed one
    /// "being lost" line and then an unmarked gap (ops audit, 2026-12-05).
    /// </summary>
    internal static void ReportRecovery()
    {
        if (!s_failure.EndedQuietly(QuietAfter, out var lasted, out int unreported))
        {
            return;
        }

        try
        {
            Output.WriteLine($"lantalk-server: logging works again: no failure for {QuietAfter.TotalSeconds:0} s, after failures over {lasted.TotalSeconds:0.#} s; "
                + $"{unreported} more failed write(s) since the last report, each a log line or more missing from the log files");
        }
        catch (IOException)
        {
            // Standard error is gone: nothing left to tell.
        }
    }

    internal static void Report(LogLevel level, string? message, Exception? exception, string? sender)
    {
        if (level < LogLevel.Error || t_loadingConfiguration || !s_failure.Occurred(out int silenced, out var failingFor))
        {
            return;
        }

        string what = LogText.Escape((exception is null ? message ?? "unknown error" : $"{message}: {exception.Message}").TrimEnd('.', ' '));
        string target = string.IsNullOrEmpty(sender) ? string.Empty : $" ({sender})";
        try
        {
            Output.WriteLine(failingFor == TimeSpan.Zero
                ? $"lantalk-server: logging failed{target}: {what}. Log lines are being lost; check the disk and the log directory. Further failures are counted and reported once a minute."
                : $"lantalk-server: logging still failing{target} after {failingFor.TotalSeconds:0} s, {silenced} more failures: {what}");
        }
        catch (IOException)
        {
            // Standard error is gone too: nothing left to tell.
        }
    }
}
