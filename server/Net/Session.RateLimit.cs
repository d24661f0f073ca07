using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

internal sealed partial class Session
{
    // Refused messages in a row before the session is cut: a client that ignores RateLimited is abusive, not slow.
    private const int MaxRefusalsInARow = 100;

    // Pings: a burst of MaxQueuedPongs, refilled at one a second. The reference client pings once per
    // PingInterval (30 s) and waits for each Pong, so it never comes near; only a flood empties the bucket.
    private const double PingRefillPerSecond = 1.0;
    private double _pingTokens = MaxQueuedPongs;
    private long _pingTokensUpdated = Environment.TickCount64;

    private double _tokens;
    private long _tokensUpdated;
    private int _refusalsInARow;

    /// <summary>Token bucket: MessageRatePerSecond refill, MessageBurst capacity. Runs only on this session's read loop.</summary>
    private bool TryTakeMessageToken(uint tag)
    {
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
            ChatServer.Log.Warn("{Session} disconnected for flooding: {Count} rate-limited messages in a row", this, _refusalsInARow);
            Connection.Close(new DisconnectReason(DisconnectKind.Local, ErrorCode.RateLimited, "message flood"),
                new ErrorPacket(ErrorCode.RateLimited, "disconnected for sending too many messages"), ChatCommand.ServerDisconnected);
            return false;
        }

        Connection.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.RateLimited,
            $"slow down: at most {settings.MessageRatePerSecond:0.#} messages per second", tag));
        return false;
    }

    /// <summary>Takes one ping token; false once a client has sent more than MaxQueuedPongs pings in a burst.</summary>
    private bool TryTakePingToken()
    {
        long now = Environment.TickCount64;
        _pingTokens = Math.Min(MaxQueuedPongs, _pingTokens + ((now - _pingTokensUpdated) * PingRefillPerSecond / 1000.0));
        _pingTokensUpdated = now;
        if (_pingTokens < 1)
        {
            return false;
        }

        _pingTokens -= 1;
        return true;
    }
}
