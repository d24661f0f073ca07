namespace LanTalk.Server.Net;

/// <summary>
/// Tells when the server itself was not running: stopped (SIGSTOP, a debugger), its virtual machine paused, or starved
/// by the host. Time that passed then was time no session could be read, so no session is judged on it: a client
/// whose login bytes arrived in time, but were read only after a 15 s stop, was refused with LoginTimeout; a client
/// that sent at a quarter of the announced rate through a 20 s stop was refused 41 messages as they arrived in one
/// burst (fault injection, 2026-12-06). After a gap the sweep waits a short grace for the read loops to take what
/// piled up, and each token bucket is credited what the gap would have refilled (<see cref="TokenBucket"/>).
/// </summary>
internal sealed class SweepPause
{
    /// <summary>A sweep this long after the last one (the timer's period is 1 s) means the process did not run.</summary>
    public const long GapMs = 3_000;

    /// <summary>How long after a gap no session is timed out: enough for buffered frames and a password check.</summary>
    public const long GraceMs = 3_000;

    // Guards the fields below; owned by this class. Timer callbacks may overlap after a long stall, and a read loop
    // may see the gap before the sweep does (both resume at once).
    private readonly Lock _lock = new();
    private long _lastRun;
    private long _graceUntil;
    private long _unloggedGapMs;
    // Written under the lock, read without it by every token bucket's take.
    private long _pausedMs;
    private long _allowanceUntil;

    /// <summary>The sweep timer starts now: a stop before its first tick is a gap too.</summary>
    public void Started(long now)
    {
        lock (_lock)
        {
            _lastRun = now;
        }
    }

    /// <summary>All the time the server is known not to have run since it started, in ms; it only grows.</summary>
    public long PausedMs => Volatile.Read(ref _pausedMs);

    /// <summary>
    /// Until when the tokens credited for the latest gap may be spent: as long again as the gap (at least the grace),
    /// time for the read loops to take the backlog the kernel kept. Past it, what is left of the credit lapses, so a
    /// client idle through a pause cannot save it up for a flood.
    /// </summary>
    public long AllowanceUntil => Volatile.Read(ref _allowanceUntil);

    /// <summary>
    /// Called by each sweep with the current tick count; false while timeouts must not be judged (a gap was just
    /// seen, or its grace runs). <paramref name="gapMs"/> is the gap first reported by this call (0 when none), for the log.
    /// </summary>
    public bool MayJudge(long now, out long gapMs)
    {
        lock (_lock)
        {
            See(now);
            gapMs = _unloggedGapMs;
            _unloggedGapMs = 0;
            return now >= _graceUntil;
        }
    }

    /// <summary>
    /// For a token bucket about to refuse: the process runs now, and whether it did not before is looked at at once,
    /// since a read loop may take the backlog before the sweep's next tick. Returns <see cref="PausedMs"/>.
    /// </summary>
    public long Observe(long now)
    {
        lock (_lock)
        {
            See(now);
            return _pausedMs;
        }
    }

    private void See(long now)
    {
        if (_lastRun != 0 && now - _lastRun > GapMs)
        {
            long gap = now - _lastRun;
            _graceUntil = now + GraceMs;
            _unloggedGapMs += gap;
            Volatile.Write(ref _allowanceUntil, now + Math.Max(gap, GraceMs));
            Volatile.Write(ref _pausedMs, _pausedMs + gap);
        }

        _lastRun = Math.Max(_lastRun, now);
    }
}
