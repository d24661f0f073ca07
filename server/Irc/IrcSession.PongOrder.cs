namespace LanTalk.Server.Irc;

/// <summary>
/// PONG in order. IRC clients (irctest, bots, some clients' lag checks) use PING as a barrier: an IRC server handles
/// commands one after another, so everything caused by what anyone sent before a PING (the client's own answers, other
/// users' messages and JOIN/PART lines) arrives before its PONG. Here messages are fanned out only once committed to
/// the history store, and joins and leaves go out in presence batches, both after the read loop has moved on; a PONG
/// written at once overtook them. So a PONG is held until (1) every message accepted before its PING has been fanned
/// out (<see cref="Rooms.IRouter.AfterPending"/>), then (2) the presence changes made before then have been sent
/// (<see cref="Rooms.IRoomRegistry.AfterPresence"/>), and (3) the messages this session sent before the PING are
/// answered (their echo, 301 or error numeric; this covers a message that waited to reach the store, e.g. behind the
/// save of a room it created). The delivery that settles the last condition releases it, after its own lines.
/// </summary>
/// <remarks>
/// Only messages, INVITE and a KICK of an invitee count for (3): they are the requests that are always answered with
/// their tag (the echo, Done or an Error),
/// whereas a successful JOIN, MODE or AWAY is answered with frames that carry no tag, so their entries wait in
/// <c>_pending</c> until its bound clears them. The hold is bounded in time (<see cref="PongHoldLimitMs"/>, checked
/// by the once-a-second sweep), so a barrier that never settles delays a PONG but never swallows it. With nothing in
/// flight (the usual case) both barriers run inline and the PONG goes out at once. The queue is under the delivery
/// lock, which already orders this session's lines.
/// </remarks>
internal sealed partial class IrcSession
{
    private const long PongHoldLimitMs = 5_000;

    private readonly Queue<HeldPong> _heldPongs = new();

    /// <summary>Answers a PING once what came before it has been sent (see the class summary).</summary>
    private void Pong(string token)
    {
        var held = new HeldPong(token, Environment.TickCount64);
        lock (_deliveryLock)
        {
            held.Barrier = _lastTag;
            NotePongLabel(held);
            _heldPongs.Enqueue(held);
        }

        _server.Router.AfterPending(() => _server.RoomCommands.AfterPresence(() =>
        {
            lock (_deliveryLock)
            {
                held.Settled = true;
                ReleasePongs();
            }
        }));
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
        while (_heldPongs.TryPeek(out var held) && (nowMs - held.SinceMs >= PongHoldLimitMs || (held.Settled && !MessageUnansweredUpTo(held.Barrier))))
        {
            _heldPongs.Dequeue();
            SendPong(held);
        }
    }

    /// <summary>True while a PRIVMSG or NOTICE tracked at or before <paramref name="barrier"/> has had no answer.</summary>
    private bool MessageUnansweredUpTo(uint barrier)
    {
        foreach (var (tag, request) in _pending)
        {
            // Tags count up and wrap; the difference orders them (never 2^31 requests apart).
            if ((request.Command is "PRIVMSG" or "NOTICE" || AnsweredLater(request.Command)) && (int)(tag - barrier) <= 0)
            {
                return true;
            }
        }

        return false;
    }

    private void SendPong(HeldPong held)
    {
        var line = IrcLine.Build(null, ServerPrefix, "PONG", ServerPrefix, held.Token);
        if (Answering && ReferenceEquals(t_pong, held))
        {
            // Released while its labeled PING is handled: one of that command's answers.
            Emit(line);
        }
        else if (held.Label is { } label)
        {
            // Released after its labeled PING was handled: the PONG is that PING's answer (labeled-response).
            SendLabeled(label, [line]);
        }
        else
        {
            // Not an answer to whatever labeled command this thread may be handling now.
            Send(line);
        }
    }

    /// <summary>A PING's answer waiting for its barriers; its fields are under the delivery lock.</summary>
    private sealed class HeldPong(string token, long sinceMs)
    {
        public string Token { get; } = token;

        public long SinceMs { get; } = sinceMs;

        /// <summary>The last request tag before the PING: this session's messages up to it must be answered.</summary>
        public uint Barrier { get; set; }

        /// <summary>The store's and the presence batch's barriers have passed.</summary>
        public bool Settled { get; set; }

        /// <summary>The PING's label (labeled-response), while the PONG is to carry it; null once the PING's handling answered with other lines.</summary>
        public string? Label { get; set; }

    }
}
