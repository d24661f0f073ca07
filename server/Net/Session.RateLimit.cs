using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

internal sealed partial class Session
{
    // Pings: a burst of MaxQueuedPongs, refilled at one a second. The reference client pings once per
    // PingInterval (30 s) and waits for each Pong, so it never comes near; only a flood empties the bucket.
    private const double PingRefillPerSecond = 1.0;
    private readonly TokenBucket _pingTokens = new(MaxQueuedPongs);
    private readonly MessageRateLimit _messageRate = new();

    /// <summary>Token bucket: MessageRatePerSecond refill, MessageBurst capacity. Runs only on this session's read loop.</summary>
    private bool TryTakeMessageToken(uint tag)
    {
        var settings = _server.Settings;
        var verdict = _messageRate.Take(settings.MessageRatePerSecond, settings.MessageBurst);
        if (verdict == RateVerdict.Allowed)
        {
            return true;
        }

        if (verdict == RateVerdict.Abusive)
        {
            ChatServer.Log.Warn("{Session} disconnected for flooding: {Count} rate-limited messages in a row", this, _messageRate.RefusalsInARow);
            Connection.Close(new DisconnectReason(DisconnectKind.Local, ErrorCode.RateLimited, "message flood"),
                new ErrorPacket(ErrorCode.RateLimited, "disconnected for sending too many messages"), ChatCommand.ServerDisconnected);
            return false;
        }

        Connection.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.RateLimited,
            $"slow down: at most {settings.MessageRatePerSecond:0.#} messages per second", tag));
        return false;
    }

    /// <summary>Takes one ping token; false once a client has sent more than MaxQueuedPongs pings in a burst.</summary>
    private bool TryTakePingToken() => _pingTokens.TryTake(PingRefillPerSecond, MaxQueuedPongs);
}
