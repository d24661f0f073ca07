namespace LanTalk.Server.Irc;

internal sealed partial class IrcSession
{
    // As for ChatSocket sessions: a client that ignores a hundred refusals in a row is abusive, not slow.
    private const int MaxRefusalsInARow = 100;

    private double _tokens;
    private long _tokensUpdated;
    private int _refusalsInARow;

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
        long now = Environment.TickCount64;
        _tokens = Math.Min(settings.MessageBurst, _tokens + ((now - _tokensUpdated) * settings.MessageRatePerSecond / 1000.0));
        _tokensUpdated = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            _refusalsInARow = 0;
            return true;
        }

        if (++_refusalsInARow > MaxRefusalsInARow)
        {
            s_log.Warn("{Session} disconnected for flooding: {Count} rate-limited lines in a row", this, _refusalsInARow);
            Quit("Excess Flood");
            return false;
        }

        Numeric(IrcNumeric.TryAgain, command, $"Slow down: at most {settings.MessageRatePerSecond:0.#} commands per second; this one was dropped");
        return false;
    }
}
