using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

internal sealed partial class Session
{
    // Pings: a burst of MaxQueuedPongs, refilled at one a second. The reference client pings once per
    // PingInterval (30 s) and waits for each Pong, so it never comes near; only a flood empties the bucket.
    private const double PingRefillPerSecond = 1.0;
    // Set by the constructor: each is told the time the server did not run, which is not held against the client.
    private readonly TokenBucket _pingTokens;
    private readonly MessageRateLimit _messageRate;
    private readonly MessageRateLimit _commandRate;

    /// <summary>
    /// Commands a session may send right after login, beyond one per room it is in, before they spend the command
    /// bucket. The lantalk client's own come to 4 (WhoIs to see its rooms listed, the private catch-up's History,
    /// and after a reconnect WhoIs and SetAway to restore its away text); the rest is headroom for other clients.
    /// </summary>
    internal const int CommandsAfterLogin = 8;

    // Set on the read loop when the flood cut-off is decided; the read loop only.
    private bool _flooded;

    // The login's own requests: a v3 client catches up on each of its rooms with a JoinRoom the moment it is logged in,
    // and with CommandBurst below the number of rooms (1, or 100 with MaxRoomsPerUser 100) those joins were refused
    // with RateLimited (a settings audit, 2026-12-06). Null until the first command after login, which
    // sizes it from the rooms the login put the session in: nothing else can have changed them by then but the
    // user's other sessions. Counted by the registry, under its lock: the login is admitted (this loop sees
    // Authenticated, the client has its UserAuthenticated) before it is put in its rooms, and a count taken from here
    // without that lock found none of them when the client's first command came at once (CI, 2026-12-06). The read
    // loop only.
    private LoginAllowance? _afterLogin;

    /// <summary>Token bucket: MessageRatePerSecond refill, MessageBurst capacity. Runs only on this session's read loop.</summary>
    private bool TryTakeMessageToken(uint tag)
    {
        var settings = _server.Settings;
        return TryTake(_messageRate, settings.MessageRatePerSecond, settings.MessageBurst, tag, command: null);
    }

    /// <summary>
    /// Token bucket for every other command after login (CommandRatePerSecond, CommandBurst): a refused command is
    /// answered RateLimited with its tag and not carried out, and a client that ignores a hundred refusals in a row
    /// is disconnected, as for messages.
    /// </summary>
    private bool TryTakeCommandToken(ChatCommand command, uint tag)
    {
        _afterLogin ??= new LoginAllowance(_rooms.LiveRoomCount(this, UserName!) + CommandsAfterLogin);
        if (!_flooded && _afterLogin.TryTake())
        {
            return true;
        }

        var settings = _server.Settings;
        return TryTake(_commandRate, settings.CommandRatePerSecond, settings.CommandBurst, tag, command);
    }

    /// <summary>
    /// One token from <paramref name="limit"/>. A refusal is answered with the tag; the hundred-and-first in a row ends
    /// the session. <paramref name="command"/> is null for messages, else the command refused.
    /// </summary>
    private bool TryTake(MessageRateLimit limit, double perSecond, int burst, uint tag, ChatCommand? command)
    {
        if (_flooded)
        {
            // Cut off already; the close waits for the echoes of what was accepted before (below).
            return false;
        }

        var verdict = limit.Take(perSecond, burst);
        if (verdict == RateVerdict.Allowed)
        {
            return true;
        }

        string what = command is null ? "messages" : "commands";
        if (verdict == RateVerdict.Abusive)
        {
            ChatServer.Log.Warn("{Session} disconnected for flooding: {Count} rate-limited {What} in a row", this, limit.RefusalsInARow, what);
            // After the echoes of the messages accepted before the flood: others received them, and a sender that
            // saw no echo would report them not confirmed and send them again.
            _flooded = true;
            // And after the login's held live frames are queued, which hold those echoes in that window.
            Sequence.AfterEarlier(() => AfterLiveReleased(() => Connection.Close(new DisconnectReason(DisconnectKind.Local, ErrorCode.RateLimited, command is null ? "message flood" : "command flood"),
                new ErrorPacket(ErrorCode.RateLimited, $"disconnected for sending too many {what}"), ChatCommand.ServerDisconnected)));
            return false;
        }

        string refusal = $"slow down: at most {perSecond:0.###} {what} per second" + (command is { } refused ? $"; {refused} was not carried out" : string.Empty);
        Connection.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.RateLimited, refusal, tag));
        return false;
    }

    /// <summary>Takes one ping token; false once a client has sent more than MaxQueuedPongs pings in a burst.</summary>
    private bool TryTakePingToken() => _pingTokens.TryTake(PingRefillPerSecond, MaxQueuedPongs);
}
