using LanTalk.Server.Cli;
using LanTalk.Server.History;
using LanTalk.Server.Logging;
using LanTalk.Server.Settings;
using NLog;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Opens history.db at start. A file that is damaged, newer or foreign stops the start (exit 2): waiting cannot mend
/// it. One that cannot be written NOW (a read-only or full file system, a lock file that cannot be created) is waited
/// for, retried every <see cref="RetryInterval"/> (an expensive attempt only once more space is free, or after a
/// minute: <see cref="OpenRetryPacing"/>), before the server listens.
/// </summary>
/// <remarks>
/// Why wait rather than run without the store: a server without it would acknowledge messages it never stores, and
/// its ids would start again below the ones clients already hold (they de-duplicate by id, so they would drop new
/// messages as old). Refusing to start (exit 2) would be honest too, but a service manager does not restart exit 2
/// (the unit's RestartPreventExitStatus), while the usual cause, a file system remounted read-only after an error,
/// is mended by the operator without touching the server. So the server waits, says why once (then every minute),
/// and starts by itself the moment the file can be written. Nobody can log in meanwhile, which is the one thing a
/// client can tell apart from "up".
/// </remarks>
internal static class HistoryOpener
{
    /// <summary>Often enough that chat starts within seconds of the disk being fixed; an attempt costs a few syscalls.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan s_reminderInterval = TimeSpan.FromMinutes(1);

    /// <summary>An attempt this long did real work (an upgrade's rebuild), not a few syscalls: see <see cref="OpenRetryPacing"/>.</summary>
    private static readonly TimeSpan s_expensiveAttempt = TimeSpan.FromSeconds(1);
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Host");

    /// <summary>The store, or null when History is off. Throws <see cref="StartupException"/> for a file waiting cannot mend, or when <paramref name="stopping"/> fires first.</summary>
    public static async Task<MessageStore?> OpenAsync(string dataDirectory, ServerSettings settings, CancellationToken stopping)
    {
        if (!settings.History)
        {
            s_log.Warn("History is off (Settings.xml History = false): nothing is stored, joins replay nothing, and private messages to users who are not logged in are refused");
            return null;
        }

        var failure = new RepeatingFailure(s_reminderInterval);
        var pacing = new OpenRetryPacing(RetryInterval, s_expensiveAttempt, s_reminderInterval);
        while (true)
        {
            long? freeBefore = HistoryFile.FreeBytes(dataDirectory);
            long started = Environment.TickCount64;
            try
            {
                var history = MessageStore.Open(dataDirectory, settings);
                history.DateNothingBefore(ClockFloor.Time);
                if (failure.Resolved(out var waited))
                {
                    s_log.Info("History: {File} can be written again after {Seconds:0} s; starting", history.FilePath, waited.TotalSeconds);
                }

                s_log.Info("History: {File}, messages up to id {LastId}; keeping {Days} days, {Cap} per room",
                    history.FilePath, history.LastId, settings.HistoryDays == 0 ? "all" : settings.HistoryDays, settings.HistoryMaxMessagesPerRoom == 0 ? "all" : settings.HistoryMaxMessagesPerRoom);
                return history;
            }
            catch (HistoryStoreException ex) when (ex.Unwritable)
            {
                var took = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                bool waitsForSpace = pacing.Failed(took, freeBefore, Environment.TickCount64);
                // The ERROR said "retrying every 2 s" also when the next line said the attempt waits for space.
                Report(failure, ex, waitsForSpace ? "trying again once more space is free, or within a minute" : $"retrying every {RetryInterval.TotalSeconds:0} s");
                if (waitsForSpace)
                {
                    s_log.Info("History: that attempt ran {Seconds:0.0} s and needed more than the {Free} MB that were free for {Directory}; it is tried again once more space is free, or in {Minutes:0} minute(s)",
                        took.TotalSeconds, freeBefore / (1024 * 1024), dataDirectory, pacing.MaxWait.TotalMinutes);
                }
            }
            catch (HistoryStoreException ex)
            {
                throw new StartupException(ExitCodes.Usage, "history: " + ex.Message);
            }

            try
            {
                do
                {
                    await Task.Delay(pacing.Interval, stopping).ConfigureAwait(false);
                }
                while (!pacing.ShouldRetry(Environment.TickCount64, HistoryFile.FreeBytes(dataDirectory)));
            }
            catch (OperationCanceledException)
            {
                throw new StartupException(ExitCodes.Failure, "stopped before history.db could be opened; nothing was started");
            }
        }
    }

    private static void Report(RepeatingFailure failure, HistoryStoreException ex, string retry)
    {
        if (!failure.Occurred(out _, out var failingFor))
        {
            return;
        }

        if (failingFor == TimeSpan.Zero)
        {
            s_log.Error("History: {Error}. The server waits for it before it listens, {Retry}: it never acknowledges a message " +
                "it cannot store. Fix the data directory (a read-only or full file system, the account's permissions), or set " +
                "<History>false</History> in Settings.xml to run without history", ex.Message, retry);
        }
        else
        {
            s_log.Error("History: still waiting after {Seconds:0} s; nobody can log in until it can be written: {Error}", failingFor.TotalSeconds, ex.Message);
        }
    }
}
