using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// Whether history.db can commit, and what the operator is told about it: one ERROR when commits start failing,
/// a reminder every minute while they keep failing, one line when they work again. Written by the writer
/// thread only, except <see cref="Break"/>; appenders read <see cref="RefuseNow"/> to fail fast without queueing.
/// A store that is broken (<see cref="Break"/>: a damaged or vanished file) refuses until the server restarts.
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
    private int _broken;
    private volatile bool _noCheckpoint;
    private long _lastFailureMs;
    private long _failingSinceMs;
    private long _lastReminderMs;
    private long _refused;

    public bool Available => !_unavailable;

    /// <summary>Refusing every write until the server restarts (<see cref="Break"/>).</summary>
    public bool Broken => Volatile.Read(ref _broken) != 0;

    /// <summary>
    /// SQLite found the file or its log damaged: nothing may be copied into history.db again, neither by a checkpoint
    /// of the writer nor by the checkpoint SQLite makes when the last connection closes (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE).
    /// </summary>
    public bool NoCheckpoint => _noCheckpoint;

    /// <summary>Raised with true when commits work again, false when they start failing (on the writer thread, or a reader's for <see cref="Break"/>).</summary>
    public event Action<bool>? Changed;

    /// <summary>True while a recent commit failed: the caller answers StorageUnavailable without touching the disk.</summary>
    public bool RefuseNow() => Broken || (_unavailable && Environment.TickCount64 - Interlocked.Read(ref _lastFailureMs) < RetryAfterMs);

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
                "free disk space, fix the file's permissions, or (for \"too many open files\") raise the open-files limit (LimitNOFILE=, ulimit -n) or lower MaxClients, and writing resumes by itself", path, error.Message);
            Changed?.Invoke(false);
        }
        else if (now - _lastReminderMs >= ReminderEveryMs)
        {
            _lastReminderMs = now;
            s_log.Error("{File}: still cannot commit after {Seconds} s ({Error}); {Refused} message(s) refused so far",
                path, (now - _failingSinceMs) / 1000, error.Message, Interlocked.Read(ref _refused));
        }
    }

    /// <summary>
    /// From now on every write is refused (StorageUnavailable) until the server restarts, because retrying cannot help:
    /// the file or its log is damaged (<paramref name="damaged"/>: and then nothing is ever checkpointed into
    /// history.db again, so what it held stays), or it was deleted under the running server. Any thread; the first
    /// call logs <paramref name="why"/> as an ERROR, which must name the file and the fix.
    /// </summary>
    public void Break(string why, bool damaged)
    {
        if (damaged)
        {
            _noCheckpoint = true;
        }

        if (Interlocked.Exchange(ref _broken, 1) != 0)
        {
            return;
        }

        bool wasAvailable = !_unavailable;
        _unavailable = true;
        _failingSinceMs = Environment.TickCount64;
        s_log.Error("{Why}. Senders get StorageUnavailable and nothing is acknowledged until the server is restarted", why);
        if (wasAvailable)
        {
            Changed?.Invoke(false);
        }
    }

    public void Succeeded()
    {
        if (!_unavailable || Broken)
        {
            return;
        }

        _unavailable = false;
        s_log.Info("{File}: commits work again after {Seconds} s; {Refused} message(s) were refused with StorageUnavailable meanwhile",
            path, (Environment.TickCount64 - _failingSinceMs) / 1000, Interlocked.Exchange(ref _refused, 0));
        Changed?.Invoke(true);
    }
}
