using System.Net.Sockets;

namespace LanTalk.Server.Net;

/// <summary>
/// Paces the accept loop while accept keeps failing, and rate-limits what it logs. Out of file descriptors
/// (EMFILE/ENFILE) the waiting connection stays in the backlog, so an accept that retries at once fails again at
/// once: without a pause that is 100 % of a core and thousands of identical lines a second. Like Go's net/http
/// server, the pause starts at 5 ms and doubles up to 1 s, so the server takes new clients within a second of
/// descriptors coming free. Owned by the accept loop alone (one listener, one loop), so it takes no lock.
/// </summary>
internal sealed class AcceptBackoff
{
    /// <summary>First pause; short enough that a one-off failure costs nothing noticeable.</summary>
    public static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>Longest pause: also the longest a recovered server waits before accepting again.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    /// <summary>While failures go on, one summary line per interval.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly Func<long> _nowMs;
    private TimeSpan _delay;
    private long _streakFailures;
    private long _streakStartMs;
    private long _unreported;
    private long _lastReportMs;
    private bool _reported;
    private long _recoveredFailures;
    private long _lastRecoveryMs;
    private bool _recoveryReported;

    public AcceptBackoff(Func<long>? nowMs = null) => _nowMs = nowMs ?? (static () => Environment.TickCount64);

    /// <summary>True while accept has failed since its last success.</summary>
    public bool Failing => _streakFailures > 0;

    /// <summary>
    /// Records a failed accept. Returns how long to pause before the next accept (zero for a failure that belongs
    /// to one connection, such as a reset before accept) and the line to log, or null when one was logged recently.
    /// </summary>
    public (TimeSpan Delay, AcceptFailureReport? Report) OnFailure(SocketError error, string message)
    {
        long now = _nowMs();
        if (_streakFailures++ == 0)
        {
            _streakStartMs = now;
        }

        // A connection reset or aborted before we accepted it says nothing about our resources: go on at once.
        bool perConnection = error is SocketError.ConnectionReset or SocketError.ConnectionAborted;
        _delay = perConnection ? TimeSpan.Zero
            : _delay == TimeSpan.Zero ? MinDelay
            : TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, MaxDelay.Ticks));

        _unreported++;
        AcceptFailureReport? report = null;
        // One line per interval, across runs too: failures that alternate with successes must not log each time.
        if (!_reported || now - _lastReportMs >= (long)ReportInterval.TotalMilliseconds)
        {
            _reported = true;
            report = new AcceptFailureReport(error, message, _unreported, TimeSpan.FromMilliseconds(now - _streakStartMs), _delay, _streakFailures == 1);
            _unreported = 0;
            _lastReportMs = now;
        }

        return (_delay, report);
    }

    /// <summary>
    /// Records a successful accept. After a run of failures that made the loop pause (resources, not a single
    /// client's reset), returns how many failed since the last such line and how long this run lasted, so the log
    /// says the server accepts again. At most one of these per interval: at the descriptor limit, accept
    /// alternates between success and failure each time a client leaves.
    /// </summary>
    public (long Failures, TimeSpan Duration)? OnSuccess()
    {
        if (_streakFailures == 0)
        {
            return null;
        }

        long now = _nowMs();
        bool paused = _delay > TimeSpan.Zero;
        var duration = TimeSpan.FromMilliseconds(now - _streakStartMs);
        long failures = _streakFailures;
        _streakFailures = 0;
        _delay = TimeSpan.Zero;
        if (!paused)
        {
            return null;
        }

        _recoveredFailures += failures;
        if (_recoveryReported && now - _lastRecoveryMs < (long)ReportInterval.TotalMilliseconds)
        {
            return null;
        }

        _recoveryReported = true;
        _lastRecoveryMs = now;
        var recovered = (_recoveredFailures, duration);
        _recoveredFailures = 0;
        return recovered;
    }
}
