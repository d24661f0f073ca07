namespace LanTalk.Core.Client;

/// <summary>
/// The message ids raised in one room: the span of live ids seen since the room was entered, and the newest
/// <c>capacity</c> other ids (a replay's) in a min-heap. A search over a few KiB, no allocation per message.
/// </summary>
internal sealed class RaisedIds(int capacity)
{
    // Kept as a min-heap: when full, the smallest id goes. A FIFO ring let a long replay of old ids push out the newest
    // ones before the replay reached them, and then every replayed id evicted the next one it would bring: a replay
    // one id longer than the ring raised all of it again (an API audit, 2026-12-06).
    private readonly ulong[] _heap = new ulong[capacity];
    private int _count;

    // The first and last live room message raised since the room was entered (0: none yet). A member gets every
    // message of the room live, in id order, so every room message with an id in between was raised live already,
    // however long a replay that brings it again: no bounded memory of single ids limits the span.
    private ulong _firstLive;
    private ulong _lastLive;

    /// <summary>True for an id raised before: a replayed one inside the live span, or one remembered singly.</summary>
    public bool Contains(ulong id, bool replayed) =>
        (replayed && _firstLive != 0 && id >= _firstLive && id <= _lastLive) || _heap.AsSpan(0, _count).Contains(id);

    public void Add(ulong id, bool replayed)
    {
        if (!replayed)
        {
            // Not lowered by a late live id: the ids just below the first live one came before the room was entered.
            _firstLive = _firstLive == 0 ? id : _firstLive;
            _lastLive = Math.Max(_lastLive, id);
        }

        if (_count < _heap.Length)
        {
            _heap[_count] = id;
            SiftUp(_count++);
        }
        else if (id > _heap[0])
        {
            // An id older than every one held is not remembered: it would push out a newer one, which a replay (in
            // id order) may still bring.
            _heap[0] = id;
            SiftDown(0);
        }
    }

    private void SiftUp(int i)
    {
        while (i > 0 && _heap[(i - 1) / 2] > _heap[i])
        {
            (_heap[i], _heap[(i - 1) / 2]) = (_heap[(i - 1) / 2], _heap[i]);
            i = (i - 1) / 2;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int smallest = i;
            foreach (int child in (ReadOnlySpan<int>)[(2 * i) + 1, (2 * i) + 2])
            {
                if (child < _count && _heap[child] < _heap[smallest])
                {
                    smallest = child;
                }
            }

            if (smallest == i)
            {
                return;
            }

            (_heap[i], _heap[smallest]) = (_heap[smallest], _heap[i]);
            i = smallest;
        }
    }
}
