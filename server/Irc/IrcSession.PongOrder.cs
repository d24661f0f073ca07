namespace LanTalk.Server.Irc;

/// <summary>
/// PONG in command order. IRC clients (irctest, bots, some clients' lag checks) use PING as a barrier: everything the
/// server says in answer to the commands sent before a PING arrives before its PONG, because an IRC server handles a
/// client's commands one after another. Here a PRIVMSG's or NOTICE's answers (the echo, the 301 away answer, an error
/// numeric) come only once the message is committed to the history store, after the read loop has moved on to the
/// next line; a PONG written at once overtook them. So a PONG is held while a message sent before its PING is still
/// unanswered, and the delivery that answers the last such message releases it, after that delivery's own lines.
/// </summary>
/// <remarks>
/// Only messages hold a PONG: they are the requests that are always answered with their tag (the echo or an Error),
/// whereas a successful JOIN, MODE or AWAY is answered with frames that carry no tag, so their entries wait in
/// <c>_pending</c> until its bound clears them. The hold is bounded in time too (<see cref="PongHoldLimitMs"/>,
/// checked by the once-a-second sweep), so an answer that never comes (a store that cannot commit answers with an
/// Error, but a bug must not cost the client its link) delays a PONG, never swallows it. Everything here runs under
/// the delivery lock, which already orders this session's lines.
/// </remarks>
internal sealed partial class IrcSession
{
    private const long PongHoldLimitMs = 5_000;

    private readonly Queue<HeldPong> _heldPongs = new();

    /// <summary>Answers a PING now, or after the messages this session sent before it are answered.</summary>
    private void Pong(string token)
    {
        lock (_deliveryLock)
        {
            if (_heldPongs.Count == 0 && !MessageUnansweredUpTo(_lastTag))
            {
                SendPong(token);
                return;
            }

            _heldPongs.Enqueue(new HeldPong(_lastTag, token, Environment.TickCount64));
        }
    }

    /// <summary>Sends the held PONGs whose messages are all answered; under the delivery lock, after a delivery.</summary>
    private void ReleasePongs()
    {
        if (_heldPongs.Count > 0)
        {
            ReleasePongs(Environment.TickCount64);
        }
    }

    /// <summary>Part of the sweep: a PONG held for longer than <see cref="PongHoldLimitMs"/> goes out anyway.</summary>
    internal void ReleaseOverduePongs(long nowMs)
    {
        lock (_deliveryLock)
        {
            ReleasePongs(nowMs);
        }
    }

    private void ReleasePongs(long nowMs)
    {
        while (_heldPongs.TryPeek(out var held) && (nowMs - held.SinceMs >= PongHoldLimitMs || !MessageUnansweredUpTo(held.Barrier)))
        {
            _heldPongs.Dequeue();
            SendPong(held.Token);
        }
    }

    /// <summary>True while a PRIVMSG or NOTICE tracked at or before <paramref name="barrier"/> has had no answer.</summary>
    private bool MessageUnansweredUpTo(uint barrier)
    {
        foreach (var (tag, request) in _pending)
        {
            // Tags count up and wrap; the difference orders them (never 2^31 requests apart).
            if (request.Command is "PRIVMSG" or "NOTICE" && (int)(tag - barrier) <= 0)
            {
                return true;
            }
        }

        return false;
    }

    private void SendPong(string token) => SendRaw(ServerPrefix, "PONG", ServerPrefix, token);

    private readonly record struct HeldPong(uint Barrier, string Token, long SinceMs);
}
