namespace LanTalk.Server.Net;

/// <summary>
/// Tells the once-a-second timeout sweep when the server itself was not running: stopped (SIGSTOP, a debugger), its
/// virtual machine paused, or starved by the host. Time that passed then was time no session could be read, so no
/// session is judged on it: a client whose login bytes arrived in time, but were read only after a 15 s stop, was
/// refused with LoginTimeout. After a gap the sweep waits a short grace for the read loops to take what piled up.
/// </summary>
internal sealed class SweepPause
{
    /// <summary>A sweep this long after the last one (the timer's period is 1 s) means the process did not run.</summary>
    public const long GapMs = 3_000;

    /// <summary>How long after a gap no session is timed out: enough for buffered frames and a password check.</summary>
    public const long GraceMs = 3_000;

    // Guards both fields; owned by this class. Timer callbacks may overlap after a long stall.
    private readonly Lock _lock = new();
    private long _lastSweep;
    private long _graceUntil;

    /// <summary>The sweep timer starts now: a stop before its first tick is a gap too.</summary>
    public void Started(long now)
    {
        lock (_lock)
        {
            _lastSweep = now;
        }
    }

    /// <summary>
    /// Called by each sweep with the current tick count; false while timeouts must not be judged (a gap was just
    /// seen, or its grace runs). <paramref name="gapMs"/> is the gap seen by this call (0 when none), for the log.
    /// </summary>
    public bool MayJudge(long now, out long gapMs)
    {
        lock (_lock)
        {
            gapMs = 0;
            if (_lastSweep != 0 && now - _lastSweep > GapMs)
            {
                gapMs = now - _lastSweep;
                _graceUntil = now + GraceMs;
            }

            _lastSweep = Math.Max(_lastSweep, now);
            return now >= _graceUntil;
        }
    }
}
