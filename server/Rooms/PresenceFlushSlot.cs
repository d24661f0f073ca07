namespace LanTalk.Server.Rooms;

/// <summary>
/// The right to write a presence batch. Batches are written after the registry's lock is released, so two flushes
/// must never overlap or a later batch could overtake an earlier one. The timer skips a tick that finds the slot
/// taken; a sender whose own join is still unsent waits for it (<see cref="RoomRegistry.SendPresenceOf"/>); the stop
/// takes it for good.
/// </summary>
internal sealed class PresenceFlushSlot
{
    private const int Free = 0, Held = 1, Closed = 2;

    private int _state;

    /// <summary>Takes the slot if it is free; false at once otherwise.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _state, Held, Free) == Free;

    /// <summary>Waits for the slot (a flush in progress ends within one batch's writes); false once it is closed.</summary>
    public bool Enter()
    {
        var spin = new SpinWait();
        while (true)
        {
            int state = Interlocked.CompareExchange(ref _state, Held, Free);
            if (state == Free)
            {
                return true;
            }

            if (state == Closed)
            {
                return false;
            }

            spin.SpinOnce();
        }
    }

    public void Exit() => Volatile.Write(ref _state, Free);

    /// <summary>Waits for a running flush to end, then keeps the slot for ever: no batch is written after the stop's own.</summary>
    public void Close()
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _state, Closed, Free) != Free)
        {
            spin.SpinOnce();
        }
    }
}
