using LanTalk.Server.Net;

namespace LanTalk.Server.Irc;

internal sealed partial class IrcSession
{
    private readonly MessageRateLimit _rate = new();

    /// <summary>
    /// The main protocol's token bucket (MessageRatePerSecond, MessageBurst), spent by every line but PING and
    /// PONG: on IRC every command costs the server work, not only messages. Runs on the read loop only.
    /// </summary>
    private bool TryTakeToken(string command)
    {
        if (command is "PING" or "PONG")
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

        Numeric(IrcNumeric.TryAgain, command, $"Slow down: at most {settings.MessageRatePerSecond:0.#} commands per second; this one was dropped");
        return false;
    }
}
