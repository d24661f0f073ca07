using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// Whether history.db can commit, and what the operator is told about it: one ERROR when commits start failing,
/// a reminder every minute while they keep failing, one line when they work again. Written by the writer
/// thread only; appenders read <see cref="RefuseNow"/> to fail fast without queueing.
/// </summary>
internal sealed class StorageHealth(string path)
{
    /// <summary>
    /// After a failed commit, appends are refused at once for this long; then the next group tries the disk again.
    /// A second: a full disk costs no work per message, and chat resumes within a second of space returning.
    /// Settable for tests only.
    /// </summary>
    public int RetryAfterMs { get; set; } = 1000;

    private const int ReminderEveryMs = 60_000;
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

    private volatile bool _unavailable;
    private long _lastFailureMs;
    private long _failingSinceMs;
    private long _lastReminderMs;
    private long _refused;

    public bool Available => !_unavailable;

    /// <summary>Raised on the writer thread with true when commits work again, false when they start failing.</summary>
    public event Action<bool>? Changed;

    /// <summary>True while a recent commit failed: the caller answers StorageUnavailable without touching the disk.</summary>
    public bool RefuseNow() => _unavailable && Environment.TickCount64 - Interlocked.Read(ref _lastFailureMs) < RetryAfterMs;

    public void Refused(int count) => Interlocked.Add(ref _refused, count);

    public void Failed(Exception error, int operations)
    {
        long now = Environment.TickCount64;
        Interlocked.Exchange(ref _lastFailureMs, now);
        Refused(operations);
        if (!_unavailable)
        {
            _unavailable = true;
            _failingSinceMs = now;
            _lastReminderMs = now;
            s_log.Error("{File}: cannot commit messages ({Error}). Senders get StorageUnavailable and nothing is acknowledged until it can; " +
                "free disk space or fix the file's permissions, and writing resumes by itself", path, error.Message);
            Changed?.Invoke(false);
        }
        else if (now - _lastReminderMs >= ReminderEveryMs)
        {
            _lastReminderMs = now;
            s_log.Error("{File}: still cannot commit after {Seconds} s ({Error}); {Refused} message(s) refused so far",
                path, (now - _failingSinceMs) / 1000, error.Message, Interlocked.Read(ref _refused));
        }
    }

    public void Succeeded()
    {
        if (!_unavailable)
        {
            return;
        }

        _unavailable = false;
        s_log.Info("{File}: commits work again after {Seconds} s; {Refused} message(s) were refused with StorageUnavailable meanwhile",
            path, (Environment.TickCount64 - _failingSinceMs) / 1000, Interlocked.Exchange(ref _refused, 0));
        Changed?.Invoke(true);
    }
}
