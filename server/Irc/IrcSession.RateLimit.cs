using LanTalk.Server.Net;

namespace LanTalk.Server.Irc;

internal sealed partial class IrcSession
{
    /// <summary>The allowance of keep-alive lines (PING, PONG, empty lines) per second, and its burst, before they spend from the main bucket.</summary>
    internal const double KeepAlivePerSecond = 10;

    internal const double KeepAliveBurst = 50;

    private readonly MessageRateLimit _rate = new();

    // PING, PONG and empty lines: free up to an allowance far above any client's keep-alive, then spent like every
    // other line. Wholly free, they let one unregistered connection keep a core busy (500 spaces + CRLF, or PING,
    // as fast as it could send; fault injection, 2026-12-03) and slowed everyone's delivery; wholly charged, a client
    // at its message limit would lose its keep-alive replies and time out.
    private readonly TokenBucket _keepAlive = new(KeepAliveBurst);

    /// <summary>
    /// The main protocol's token bucket (MessageRatePerSecond, MessageBurst), spent by every line: on IRC every
    /// command costs the server work, not only messages. Keep-alive lines (<paramref name="command"/> PING or PONG, or
    /// an empty line, "") take from their own allowance first. Runs on the read loop only.
    /// </summary>
    private bool TryTakeToken(string command)
    {
        if (command is "PING" or "PONG" or "" && _keepAlive.TryTake(KeepAlivePerSecond, KeepAliveBurst))
        {
            return true;
        }

        var settings = _server.Settings;
        var verdict = _rate.Take(settings.MessageRatePerSecond, settings.MessageBurst);
        if (verdict == RateVerdict.Allowed)
        {
            return true;
        }

        if (verdict == RateVerdict.Abusive)
        {
            s_log.Warn("{Session} disconnected for flooding: {Count} rate-limited lines in a row", this, _rate.RefusalsInARow);
            Quit("Excess Flood", toPeers: true);
            return false;
        }

        Numeric(IrcNumeric.TryAgain, command.Length == 0 ? "*" : command, $"Slow down: at most {settings.MessageRatePerSecond:0.#} commands per second; this one was dropped");
        return false;
    }
}
