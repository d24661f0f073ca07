namespace LanTalk.Server.Net;

/// <summary>
/// A token bucket refilled continuously from <see cref="Environment.TickCount64"/>. Rate and capacity are passed to
/// each take, so a settings reload applies at once. Not thread-safe: one owner (a session's read loop).
/// </summary>
/// <remarks>
/// Time the server did not run (<see cref="SweepPause"/>) is not held against the client: what it sent meanwhile
/// waited in the kernel and arrives as one burst. So a gap is credited as an allowance above the capacity, worth
/// rate × the gap (never more than the time since the last take), spent after the usual tokens and lapsing at
/// <see cref="SweepPause.AllowanceUntil"/>. A client thus never gets more than the rate allows over the time that
/// passed, plus the burst, as without a pause.
/// </remarks>
internal sealed class TokenBucket
{
    private readonly SweepPause? _pauses;
    private long _updated = Environment.TickCount64;
    private double _tokens;
    private double _allowance;
    private long _allowanceUntil;
    private long _pausedSeen;

    /// <param name="pauses">The server's record of the time it did not run; null counts every millisecond.</param>
    /// <param name="tokens">Tokens at the start. The default, infinity, starts full whatever capacity the first take names.</param>
    public TokenBucket(SweepPause? pauses = null, double tokens = double.PositiveInfinity)
    {
        _pauses = pauses;
        _pausedSeen = pauses?.PausedMs ?? 0;
        _tokens = tokens;
    }

    /// <summary>Refills for the time since the last take, then takes one token if there is one.</summary>
    public bool TryTake(double perSecond, double capacity) => TryTake(perSecond, capacity, Environment.TickCount64);

    /// <summary>As above at the tick count <paramref name="now"/> (tests drive the clock).</summary>
    internal bool TryTake(double perSecond, double capacity, long now)
    {
        long elapsed = Math.Max(0, now - _updated);
        long pausedMs = _pauses?.PausedMs ?? 0;
        if (_pauses is not null && elapsed > SweepPause.GapMs)
        {
            // Only an interval this long can hold a gap. The read loop may wake before the sweep that would notice
            // it, and its first take must see it: it uses up the interval.
            pausedMs = _pauses.Observe(now);
        }

        Refill(perSecond, capacity, now, elapsed, pausedMs);
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }

        if (_allowance >= 1)
        {
            _allowance -= 1;
            return true;
        }

        return false;
    }

    private void Refill(double perSecond, double capacity, long now, long elapsed, long pausedMs)
    {
        long credited = 0;
        if (pausedMs > _pausedSeen)
        {
            long until = _pauses!.AllowanceUntil;
            if (now <= until)
            {
                credited = Math.Min(pausedMs - _pausedSeen, elapsed);
                _allowance += credited * perSecond / 1000.0;
                _allowanceUntil = until;
            }

            _pausedSeen = pausedMs;
        }

        if (now > _allowanceUntil)
        {
            _allowance = 0;
        }

        _tokens = Math.Min(capacity, _tokens + ((elapsed - credited) * perSecond / 1000.0));
        _updated = now;
    }
}
