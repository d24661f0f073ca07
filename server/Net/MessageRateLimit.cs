namespace LanTalk.Server.Net;

/// <summary>
/// The per-session flood limit shared by ChatSocket and IRC sessions: a <see cref="TokenBucket"/> of
/// MessageRatePerSecond and MessageBurst, and a count of refusals in a row, since a client that ignores a hundred
/// refusals is abusive, not slow. Not thread-safe: one owner (the session's read loop).
/// </summary>
internal sealed class MessageRateLimit
{
    public const int MaxRefusalsInARow = 100;

    private readonly TokenBucket _bucket = new();

    /// <summary>Refusals since the last allowed message.</summary>
    public int RefusalsInARow { get; private set; }

    public RateVerdict Take(double perSecond, double burst)
    {
        if (_bucket.TryTake(perSecond, burst))
        {
            RefusalsInARow = 0;
            return RateVerdict.Allowed;
        }

        return ++RefusalsInARow > MaxRefusalsInARow ? RateVerdict.Abusive : RateVerdict.Refused;
    }
}
