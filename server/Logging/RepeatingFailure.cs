namespace LanTalk.Server.Logging;

/// <summary>
/// Rate-limits the report of a failure that repeats every second (a read-only disk, a full log disk): the first
/// occurrence is reported at once, later ones only as a reminder every <see cref="ReminderInterval"/> with how many
/// happened since, so the problem stays visible without flooding the log it may be filling.
/// </summary>
public sealed class RepeatingFailure(TimeSpan reminderInterval, Func<long>? clockMs = null)
{
    private readonly Lock _lock = new();
    private readonly Func<long> _clockMs = clockMs ?? (() => Environment.TickCount64);
    private bool _failing;
    private long _since;
    private long _lastReport;
    private long _lastOccurred;
    private int _unreported;

    public TimeSpan ReminderInterval { get; } = reminderInterval;

    /// <summary>Counts one failure; true when it should be reported now, with how many were silenced since the last report.</summary>
    public bool Occurred(out int silenced, out TimeSpan failingFor)
    {
        lock (_lock)
        {
            long now = _clockMs();
            _lastOccurred = now;
            if (!_failing)
            {
                _failing = true;
                _since = now;
                _lastReport = now;
                _unreported = 0;
                silenced = 0;
                failingFor = TimeSpan.Zero;
                return true;
            }

            failingFor = TimeSpan.FromMilliseconds(now - _since);
            if (now - _lastReport >= (long)ReminderInterval.TotalMilliseconds)
            {
                silenced = _unreported;
                _unreported = 0;
                _lastReport = now;
                return true;
            }

            _unreported++;
            silenced = 0;
            return false;
        }
    }

    /// <summary>
    /// For a failure nothing reports the end of (a log write that fails says so; one that works says nothing): ends it
    /// once none occurred for <paramref name="quiet"/>, with how long it lasted and how many occurrences were never
    /// reported. Without it, an outage shorter than the reminder interval showed its first failure and never its count.
    /// </summary>
    public bool EndedQuietly(TimeSpan quiet, out TimeSpan lasted, out int unreported)
    {
        lock (_lock)
        {
            long now = _clockMs();
            if (!_failing || now - _lastOccurred < (long)quiet.TotalMilliseconds)
            {
                lasted = TimeSpan.Zero;
                unreported = 0;
                return false;
            }

            lasted = TimeSpan.FromMilliseconds(_lastOccurred - _since);
            unreported = _unreported;
            _unreported = 0;
            _failing = false;
            return true;
        }
    }

    /// <summary>Ends the failure; true (with its length) when there was one to report as resolved.</summary>
    public bool Resolved(out TimeSpan lasted)
    {
        lock (_lock)
        {
            lasted = TimeSpan.FromMilliseconds(_clockMs() - _since);
            bool was = _failing;
            _failing = false;
            return was;
        }
    }
}
