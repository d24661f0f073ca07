namespace LanTalk.Server.Net;

/// <summary>
/// A token bucket refilled continuously from <see cref="Environment.TickCount64"/>. Rate and capacity are passed to
/// each take, so a settings reload applies at once. Not thread-safe: one owner (a session's read loop).
/// </summary>
internal sealed class TokenBucket
{
    private long _updated = Environment.TickCount64;
    private double _tokens;

    /// <param name="tokens">Tokens at the start. The default, infinity, starts full whatever capacity the first take names.</param>
    public TokenBucket(double tokens = double.PositiveInfinity) => _tokens = tokens;

    /// <summary>Refills for the time since the last take, then takes one token if there is one.</summary>
    public bool TryTake(double perSecond, double capacity)
    {
        long now = Environment.TickCount64;
        _tokens = Math.Min(capacity, _tokens + ((now - _updated) * perSecond / 1000.0));
        _updated = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
