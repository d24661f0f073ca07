namespace LanTalk.Client.Connection;

/// <summary>
/// The client's copy of the server's per-session token bucket (PROTOCOL.md, flow control): full at login, refilled
/// at the announced rate. Asking it before each send means a pipe or a paste is slowed down, never refused.
/// Used by one sender at a time.
/// </summary>
internal sealed class RatePacer
{
    // 10 % under the server's rate and one token under its burst: the server counts arrival times, and network
    // jitter can bunch messages that left here evenly spaced.
    private const double RateMargin = 0.9;

    private double _tokens;
    private long _updatedMs;
    private int _login = -1;

    private const double MaxWaitMs = 86_400_000;

    /// <summary>
    /// Takes one token and returns how long to wait before sending. <paramref name="login"/> changes when a new
    /// server session starts, which refills the bucket.
    /// </summary>
    public TimeSpan Reserve(long nowMs, double ratePerSecond, int burst, int login)
    {
        double rate = ratePerSecond * RateMargin;
        double capacity = Math.Max(1, burst - 1);
        if (login != _login)
        {
            _login = login;
            _tokens = capacity;
            _updatedMs = nowMs;
        }

        _tokens = Math.Min(capacity, _tokens + ((nowMs - _updatedMs) * rate / 1000.0));
        _updatedMs = nowMs;
        _tokens -= 1;
        // A day at most: a server announcing a rate of one message a year must not overflow the wait (or hang the client).
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(Math.Ceiling(-_tokens * 1000.0 / rate), MaxWaitMs));
    }

    /// <summary>The server refused a message anyway (another client of the same user, a clock step): start from empty.</summary>
    public void Empty() => _tokens = Math.Min(_tokens, 0);
}
