namespace LanTalk.Client.Chat;

/// <summary>
/// The message ids shown recently, so a message that arrives twice (a replay overlapping live traffic, a catch-up
/// after a reconnect that raced the drop) is shown once. Bounded: the oldest ids are forgotten first. 8192 ids
/// cover far more than the server's MaxReplay (500) per room for the rooms anyone keeps open.
/// </summary>
internal sealed class SeenIds(int capacity = SeenIds.DefaultCapacity)
{
    public const int DefaultCapacity = 8192;

    private readonly Lock _lock = new();
    private readonly HashSet<ulong> _ids = new();
    private readonly Queue<ulong> _order = new();

    /// <summary>True when <paramref name="id"/> was offered before (and is still remembered); records nothing.</summary>
    public bool Contains(ulong id)
    {
        lock (_lock)
        {
            return id != 0 && _ids.Contains(id);
        }
    }

    /// <summary>True the first time an id is offered. Id 0 (a message with no server id) is always new.</summary>
    public bool Add(ulong id)
    {
        if (id == 0)
        {
            return true;
        }

        lock (_lock)
        {
            if (!_ids.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
