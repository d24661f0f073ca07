namespace LanTalk.Server.Net;

/// <summary>
/// A number of lines or commands a session may send around its login without spending its flood bucket: given once,
/// never refilled. A login must never be refused by MessageBurst or CommandBurst, whatever valid value they hold
/// (a settings audit, 2026-12-06: MessageBurst 2 stopped every IRC client from registering, and 4 every SASL one),
/// yet a flood must still be cut off: past the allowance, the lines spend the bucket as before. What bounds the work a
/// connection gets for free is this count, the pre-login admission limits and LoginTimeout. Not thread-safe: one
/// owner (the session's read loop).
/// </summary>
internal sealed class LoginAllowance(int count)
{
    private int _left = count;

    /// <summary>Takes one from the allowance; false once it is spent.</summary>
    public bool TryTake()
    {
        if (_left <= 0)
        {
            return false;
        }

        _left--;
        return true;
    }
}
