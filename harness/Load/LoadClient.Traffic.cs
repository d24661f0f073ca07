using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

internal sealed partial class LoadClient
{
    // Receive side: bitsets of seen sequence numbers per slot (LoadPlan.SlotCount), written only by the read loop.
    private ulong[] _seen = [];
    private uint[] _next = [];
    private long _received;
    private long _unique;
    private long _duplicates;
    private long _orderViolations;
    private long _unexpected;
    private long _echoed;
    private long _mirrors;
    private long _mirrorMismatches;
    private long _lastReceiveTicks;
    private LoadPlan? _plan;

    // Send side: a slab of frame slots reused round-robin; a slot is rewritten only after its message was echoed.
    private byte[] _slab = [];
    private int _slotSize;
    private int _slots;
    private long _sent;
    private long _sentPublic;
    private long _sentPrivate;
    private Random _random = new(0);

    public long Received => Volatile.Read(ref _received);

    public long Unique => Volatile.Read(ref _unique);

    public long Duplicates => Volatile.Read(ref _duplicates);

    public long OrderViolations => Volatile.Read(ref _orderViolations);

    public long Unexpected => Volatile.Read(ref _unexpected);

    public long LastReceiveTicks => Volatile.Read(ref _lastReceiveTicks);

    /// <summary>Public messages from another session of this client's account, flagged Mirror as they must be (version 3).</summary>
    public long Mirrors => Volatile.Read(ref _mirrors);

    /// <summary>Copies whose Mirror flag was wrong: missing on another session's message, or set on anyone else's. Not counted as deliveries.</summary>
    public long MirrorMismatches => Volatile.Read(ref _mirrorMismatches);

    /// <summary>This client's own messages coming back (the server's confirmation); not counted as deliveries.</summary>
    public long Echoes => Volatile.Read(ref _echoed);

    public long Sent => Volatile.Read(ref _sent);

    public long SentPublic => Volatile.Read(ref _sentPublic);

    public long SentPrivate => Volatile.Read(ref _sentPrivate);

    public long InFlight => Volatile.Read(ref _sent) - Volatile.Read(ref _echoed);

    /// <summary>Arms the checker for a phase. Call before the first message of the phase is sent by anyone.</summary>
    public void Prepare(LoadPlan plan, int size, int window)
    {
        _plan = plan;
        _seen = new ulong[plan.SlotCount * plan.Words];
        _next = new uint[plan.SlotCount];
        _received = _unique = _duplicates = _orderViolations = _unexpected = _echoed = _mirrors = _mirrorMismatches = _lastReceiveTicks = 0;
        _sent = _sentPublic = _sentPrivate = 0;
        _random = new Random(Index + 1);
        if (Index < plan.Senders)
        {
            // The biggest frame this client sends: a private one to the longest possible name.
            _slotSize = Payload.FrameSize(RawFrame.MaxTargetBytes, size);
            _slots = window;
            _slab = new byte[_slotSize * _slots];
        }
    }

    /// <summary>
    /// Queues the next message unless the send window of this client's messages are still unconfirmed.
    /// <paramref name="intendedTicks"/> is the schedule's time for it; latency is measured from there.
    /// </summary>
    public bool TrySend(long intendedTicks, int size, IReadOnlyList<LoadClient> clients)
    {
        long sequence = _sent;
        if (_plan is not { } plan || sequence - Volatile.Read(ref _echoed) >= _slots || Connection is not { IsClosing: false } connection)
        {
            return false;
        }

        int partner = plan.Partner[Index];
        bool isPrivate = partner >= 0 && (plan.PrivateRatio >= 1 || _random.NextDouble() < plan.PrivateRatio);
        // A public message goes to this client's room (version 3), or with an empty target to the default room.
        var target = isPrivate ? clients[partner].NameUtf8 : _roomUtf8;
        var frame = _slab.AsSpan((int)(sequence % _slots) * _slotSize, Payload.FrameSize(target.Length, size));
        Payload.WriteTemplate(frame, isPrivate ? ChatCommand.PrivateMessage : ChatCommand.PublicMessage, target, size);
        long kindSequence = isPrivate ? _sentPrivate : _sentPublic;
        Payload.Stamp(frame[Payload.TextOffset(target.Length)..], Index, (uint)kindSequence, intendedTicks, isPrivate);
        if (!connection.Enqueue(_slab.AsMemory((int)(sequence % _slots) * _slotSize, frame.Length)))
        {
            return false;
        }

        if (isPrivate)
        {
            Volatile.Write(ref _sentPrivate, kindSequence + 1);
        }
        else
        {
            Volatile.Write(ref _sentPublic, kindSequence + 1);
        }

        Volatile.Write(ref _sent, sequence + 1);
        return true;
    }

    private void OnChatMessage(ReadOnlySpan<byte> body, bool isPrivate)
    {
        long now = Clock.Now;
        _lastReceiveTicks = now;
        Volatile.Write(ref _received, _received + 1);
        if (_plan is not { } plan || !Payload.TryParse(TextOf(body), out int sender, out uint sequence, out long intended, out bool markedPrivate)
            || markedPrivate != isPrivate || sequence >= plan.MessagesPerSender)
        {
            _unexpected++;
            return;
        }

        int slot = SlotFor(plan, sender, isPrivate);
        if (slot < 0)
        {
            _unexpected++;
            return;
        }

        if (plan.UserOf is not null && !isPrivate)
        {
            bool mirror = MarksOf(body).HasFlag(MessageMarks.Mirror);
            if (mirror != plan.SameUser(sender, Index))
            {
                // A wrong flag makes a client show the message as someone else's (or its own as a stranger's): not a delivery.
                Volatile.Write(ref _mirrorMismatches, _mirrorMismatches + 1);
                _unexpected++;
                return;
            }

            if (mirror)
            {
                Volatile.Write(ref _mirrors, _mirrors + 1);
            }
        }

        if (sender == Index)
        {
            Volatile.Write(ref _echoed, _echoed + 1);
        }

        State.Latency.Record((long)Clock.ToMicroseconds(now - intended), Index);
        ref ulong word = ref _seen[(slot * plan.Words) + (int)(sequence >> 6)];
        ulong bit = 1UL << (int)(sequence & 63);
        if ((word & bit) != 0)
        {
            _duplicates++;
            return;
        }

        word |= bit;
        Volatile.Write(ref _unique, _unique + 1);
        if (sequence < _next[slot])
        {
            _orderViolations++;
        }
        else
        {
            _next[slot] = sequence + 1;
        }
    }

    private int SlotFor(LoadPlan plan, int sender, bool isPrivate)
    {
        int privateBase = plan.HasPublic ? plan.Senders : 0;
        if (!isPrivate)
        {
            return plan.HasPublic && sender < plan.Senders && plan.SameRoom(sender, Index) ? sender : -1;
        }

        if (!plan.HasPrivate)
        {
            return -1;
        }

        return sender == Index ? privateBase : sender == plan.Partner[Index] ? privateBase + 1 : -1;
    }

    /// <summary>Deliveries this client should have had, given what every sender actually sent.</summary>
    public long Expected(IReadOnlyList<LoadClient> clients)
    {
        if (_plan is not { } plan)
        {
            return 0;
        }

        long expected = 0;
        if (plan.HasPublic)
        {
            foreach (int s in plan.PublicSendersTo(Index))
            {
                expected += clients[s].SentPublic;
            }
        }

        if (plan.HasPrivate && plan.Partner[Index] >= 0)
        {
            expected += SentPrivate + clients[plan.Partner[Index]].SentPrivate;
        }

        return expected;
    }
}
