namespace LanTalk.Server.Net;

/// <summary>
/// The per-session flood limit shared by ChatSocket and IRC sessions: a <see cref="TokenBucket"/> of
/// MessageRatePerSecond and MessageBurst, and a count of refusals in a row, since a client that ignores a hundred
/// refusals is abusive, not slow. Not thread-safe: one owner (the session's read loop).
/// </summary>
internal sealed class MessageRateLimit
{
    public const int MaxRefusalsInARow = 100;

    private readonly TokenBucket _bucket;

    /// <param name="pauses">The server's record of the time it did not run, which is not held against the client.</param>
    public MessageRateLimit(SweepPause? pauses = null) => _bucket = new TokenBucket(pauses);

    /// <summary>Refusals since the last allowed message.</summary>
    public int RefusalsInARow { get; private set; }

    public RateVerdict Take(double perSecond, double burst) => Take(perSecond, burst, Environment.TickCount64);

    /// <summary>As above at the tick count <paramref name="now"/> (tests drive the clock).</summary>
    internal RateVerdict Take(double perSecond, double burst, long now)
    {
        if (_bucket.TryTake(perSecond, burst, now))
        {
            RefusalsInARow = 0;
            return RateVerdict.Allowed;
        }

        return ++RefusalsInARow > MaxRefusalsInARow ? RateVerdict.Abusive : RateVerdict.Refused;
    }
}
