namespace LanTalk.Client.Chat;

/// <summary>
/// PageUp's paging through a room's history on the server: which page to ask for next (the one before the oldest
/// message shown), so each page is asked for once (a second PageUp while the first page is on its way asks
/// nothing), which ids a page may still show (a message already shown is never shown twice), and when the room
/// has nothing earlier. Thread-safe: keys arrive on the key thread, answers on the network.
/// </summary>
internal sealed class ScrollBack
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<ulong>> _asked = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _exhausted = new(StringComparer.OrdinalIgnoreCase);
    private readonly SeenIds _shown = new();

    /// <summary>
    /// The BeforeId to ask for (<paramref name="oldestShown"/>; 0 = the newest page when nothing is shown yet), or
    /// null when that page was asked for already or the room has nothing earlier.
    /// </summary>
    public ulong? Next(string room, ulong oldestShown)
    {
        lock (_lock)
        {
            return _exhausted.Contains(room) ? null : Ask(room, oldestShown);
        }
    }

    /// <summary>
    /// The BeforeId to ask for through a gap of missed messages (<paramref name="top"/>: the oldest shown above it),
    /// or null when that page was asked for already. A gap is paged even when the room's beginning was reached before.
    /// </summary>
    public ulong? NextInGap(string room, ulong top)
    {
        lock (_lock)
        {
            return Ask(room, top);
        }
    }

    // Under _lock.
    private ulong? Ask(string room, ulong before)
    {
        if (!_asked.TryGetValue(room, out var asked))
        {
            asked = [];
            _asked[room] = asked;
        }

        return asked.Add(before) ? before : null;
    }

    /// <summary>A page arrived; with nothing beyond it (or nothing in it) the room's beginning is reached.</summary>
    public void Answered(string room, int count, long remaining)
    {
        if (count == 0 || remaining == 0)
        {
            lock (_lock)
            {
                _exhausted.Add(room);
            }
        }
    }

    /// <summary>The request failed (the connection dropped): the next PageUp may ask for that page again.</summary>
    public void Failed(string room, ulong beforeId)
    {
        lock (_lock)
        {
            if (_asked.TryGetValue(room, out var asked))
            {
                asked.Remove(beforeId);
            }
        }
    }

    /// <summary>True when the room's first message is already shown.</summary>
    public bool IsExhausted(string room)
    {
        lock (_lock)
        {
            return _exhausted.Contains(room);
        }
    }

    /// <summary>True the first time a paged message is offered: a page never repeats a message already paged in.</summary>
    public bool Show(ulong id) => _shown.Add(id);
}
