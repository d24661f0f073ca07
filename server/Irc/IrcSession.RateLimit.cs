using LanTalk.Server.Net;

namespace LanTalk.Server.Irc;

internal sealed partial class IrcSession
{
    /// <summary>The allowance of keep-alive lines (PING, PONG, empty lines) per second, and its burst, before they spend from the main bucket.</summary>
    internal const double KeepAlivePerSecond = 10;

    internal const double KeepAliveBurst = 50;

    // Set by the constructor, told the time the server did not run, which is not held against the client.
    private readonly MessageRateLimit _rate;

    // PING, PONG and empty lines: free up to an allowance far above any client's keep-alive, then spent like every
    // other line. Wholly free, they let one unregistered connection keep a core busy (500 spaces + CRLF, or PING,
    // as fast as it could send; fault injection, 2026-12-03) and slowed everyone's delivery; wholly charged, a client
    // at its message limit would lose its keep-alive replies and time out.
    private readonly TokenBucket _keepAlive;

    /// <summary>
    /// The main protocol's token bucket (MessageRatePerSecond, MessageBurst), spent by every line: on IRC every
    /// command costs the server work, not only messages. Keep-alive lines (<paramref name="command"/> PING or PONG, or
    /// an empty line, "") take from their own allowance first. Runs on the read loop only.
    /// </summary>
    private bool TryTakeToken(string command)
    {
        if (_flooded)
        {
            // Cut off already; the close waits for the echoes of what was accepted before (below).
            return false;
        }

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
            // After the echoes of the messages accepted before the flood: they reached everyone else, and a client
            // that never saw them shows a conversation its peers did not have (an IRC audit: 60 delivered, 0 echoed).
            _flooded = true;
            Sequence.AfterEarlier(() => Quit("Excess Flood", toPeers: true));
            return false;
        }

        if (command != "NOTICE")
        {
            // In command order, after the echoes of earlier messages still waiting for the store. A NOTICE gets no
            // reply of any kind (RFC 2812 3.3.2), so a refused one is dropped without a word.
            string refused = command.Length == 0 ? "*" : command;
            Sequence.AfterEarlier(() => Numeric(IrcNumeric.TryAgain, refused, $"Slow down: at most {settings.MessageRatePerSecond:0.#} commands per second; this one was dropped"));
        }

        return false;
    }

    // Set on the read loop when the flood cut-off is decided; the read loop only.
    private bool _flooded;
}
