namespace LanTalk.Client.Chat;

/// <summary>
/// The rooms this session is in, in the order they were joined (Alt+1…9 picks by that order), which one is
/// current (plain text goes there; the prompt shows it), and the newest and oldest message id seen in each: the
/// newest is the SinceId for catch-up after a reconnect, the oldest the BeforeId for /history; and the gaps of
/// missed messages that catch-ups left unshown, which /history and PageUp page through first.
/// Thread-safe: the network joins and parts while the keyboard switches.
/// </summary>
internal sealed class RoomBook
{
    private readonly Lock _lock = new();
    private readonly List<string> _rooms = new();
    private readonly Dictionary<string, (ulong Oldest, ulong Newest)> _seen = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _seenEmpty = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _heard = new();
    private readonly Dictionary<string, List<MissedGap>> _gaps = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _topics = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _away = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, LanTalk.Core.Packets.RoomModes> _modes = new(StringComparer.OrdinalIgnoreCase);
    private string? _current;

    /// <summary>The room plain text goes to; null when the user is in no room.</summary>
    public string? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>The rooms in join order, spelled as the server stores them.</summary>
    public IReadOnlyList<string> Rooms
    {
        get
        {
            lock (_lock)
            {
                return [.. _rooms];
            }
        }
    }

    /// <summary>Every room name this session knows of: the joined ones, then those the last /rooms listed (Tab after /join).</summary>
    public IReadOnlyList<string> Known
    {
        get
        {
            lock (_lock)
            {
                return [.. _rooms.Concat(_heard).Distinct(StringComparer.OrdinalIgnoreCase)];
            }
        }
    }

    /// <summary>The rooms a /rooms answer listed.</summary>
    public void Heard(IEnumerable<string> rooms)
    {
        lock (_lock)
        {
            _heard.Clear();
            _heard.AddRange(rooms);
        }
    }

    /// <summary>Raised (outside the lock) when the current room or the list changes: the prompt repaints.</summary>
    public event Action? Changed;

    /// <summary>Adds a room (or fixes its spelling). The first room joined becomes current; <paramref name="makeCurrent"/> switches to it.</summary>
    public void Joined(string room, bool makeCurrent = false)
    {
        lock (_lock)
        {
            int at = IndexOf(room);
            if (at >= 0)
            {
                _rooms[at] = room;
            }
            else
            {
                _rooms.Add(room);
            }

            if (_current is null || makeCurrent || string.Equals(_current, room, StringComparison.OrdinalIgnoreCase))
            {
                // Only the user's own choice clears the hold: the login's or a replay's Joined of the room that
                // replaced a lost one would otherwise undo it before the next line is typed.
                _movedFrom = makeCurrent ? null : _movedFrom;
                _current = room;
            }
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Removes a room; when it was current, the one before it (or the first) becomes current. Unless
    /// <paramref name="chosenHere"/> (a /part in this window), the user did not choose that (kicked, the room deleted,
    /// left on another device, found gone at a reconnect), so the line being typed for it must not silently go to the
    /// new current room (<see cref="TakeMovedFrom"/>). The default is the guarded one: a reconnect that found the room
    /// gone used the unguarded default, and the next line went to #lobby (a usability audit, 2026-12-06).
    /// </summary>
    public void Left(string room, bool chosenHere = false)
    {
        lock (_lock)
        {
            int at = IndexOf(room);
            if (at < 0)
            {
                return;
            }

            _rooms.RemoveAt(at);
            _modes.Remove(room);
            if (string.Equals(_current, room, StringComparison.OrdinalIgnoreCase))
            {
                _current = _rooms.Count == 0 ? null : _rooms[Math.Max(0, at - 1)];
                _movedFrom = !chosenHere && _rooms.Count > 0 ? room : null;
            }
        }

        Changed?.Invoke();
    }

    // The current room that was taken away (see Left), until the user sends or picks a room. Under _lock.
    private string? _movedFrom;

    // Rooms this window asked the server to delete and whose RoomLeft has not come yet: RoomLeft (Deleted) carries Tag 0
    // even to the requester (docs/PROTOCOL.md, Tags on RoomLeft), so only this says the deletion was the user's own here.
    private readonly HashSet<string> _deletingHere = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>This window is about to delete <paramref name="room"/>; <see cref="DeletedHere"/> answers its RoomLeft.</summary>
    public void DeletingHere(string room)
    {
        lock (_lock)
        {
            _deletingHere.Add(room);
        }
    }

    /// <summary>The deletion's answer came (or failed): a later RoomLeft (Deleted) is someone else's.</summary>
    public void DeleteAnswered(string room)
    {
        lock (_lock)
        {
            _deletingHere.Remove(room);
        }
    }

    /// <summary>True once when this window deleted <paramref name="room"/> itself.</summary>
    public bool DeletedHere(string room)
    {
        lock (_lock)
        {
            return _deletingHere.Remove(room);
        }
    }

    /// <summary>The room the current one replaced without the user choosing it, left in place (<see cref="TakeMovedFrom"/> takes it).</summary>
    public string? MovedFrom
    {
        get
        {
            lock (_lock)
            {
                return _movedFrom;
            }
        }
    }

    /// <summary>The room the current one replaced without the user choosing it, once; null when the user chose the current room.</summary>
    public string? TakeMovedFrom()
    {
        lock (_lock)
        {
            string? from = _movedFrom;
            _movedFrom = null;
            return from;
        }
    }

    /// <summary>The joined room with that name (any case, '#' or not), as the server spells it; null when not joined.</summary>
    public string? Find(string name)
    {
        name = RoomName.Normalize(name);
        lock (_lock)
        {
            int at = IndexOf(name);
            return at < 0 ? null : _rooms[at];
        }
    }

    public bool Contains(string name) => Find(name) is not null;

    /// <summary>Makes a joined room current. False (nothing changes) when the user is not in it.</summary>
    public bool Go(string name)
    {
        lock (_lock)
        {
            int at = IndexOf(RoomName.Normalize(name));
            if (at < 0)
            {
                return false;
            }

            _current = _rooms[at];
            _movedFrom = null;
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>Alt+<paramref name="number"/>: the number-th room in join order (1-based). Returns the room, or null when there is none.</summary>
    public string? Go(int number)
    {
        string room;
        lock (_lock)
        {
            if (number < 1 || number > _rooms.Count)
            {
                return null;
            }

            room = _rooms[number - 1];
            _current = room;
            _movedFrom = null;
        }

        Changed?.Invoke();
        return room;
    }

    /// <summary>Notes a message id seen in a room.</summary>
    public void Saw(string room, ulong id)
    {
        if (id == 0)
        {
            return;
        }

        lock (_lock)
        {
            _seen[room] = _seen.TryGetValue(room, out var known)
                ? (Math.Min(known.Oldest, id), Math.Max(known.Newest, id))
                : (id, id);
            _seenEmpty.Remove(room);
        }
    }

    /// <summary>
    /// A join of the room replayed nothing and said nothing older was left: the room was empty then, so all it holds
    /// later was said after this session joined, and a catch-up takes it from its first message (not its latest 50 as
    /// "earlier": a UX audit's laptop that slept through a new room's first 100 lines).
    /// </summary>
    public void SawEmpty(string room)
    {
        lock (_lock)
        {
            if (!_seen.ContainsKey(room))
            {
                _seenEmpty.Add(room);
            }
        }
    }

    /// <summary>
    /// Where a rejoin of the room catches up from: the newest id seen, 0 for a room seen empty (docs/PROTOCOL.md, the
    /// CatchUp bit), or null for a room this session never saw: a fresh join, with the room's recent history.
    /// </summary>
    public ulong? CatchUpFrom(string room)
    {
        lock (_lock)
        {
            return _seen.TryGetValue(room, out var known) ? known.Newest : _seenEmpty.Contains(room) ? 0 : null;
        }
    }

    /// <summary>The oldest id seen in the room, 0 when none: the BeforeId of the next page back.</summary>
    public ulong Oldest(string room)
    {
        lock (_lock)
        {
            return _seen.TryGetValue(room, out var known) ? known.Oldest : 0;
        }
    }

    /// <summary>A catch-up left missed messages unshown: PageUp and /history page through them before anything older.</summary>
    public void AddGap(string room, MissedGap gap)
    {
        lock (_lock)
        {
            if (!_gaps.TryGetValue(room, out var gaps))
            {
                _gaps[room] = gaps = new List<MissedGap>();
            }

            gaps.Add(gap);
        }
    }

    /// <summary>The newest gap of the room not yet paged through; null when there is none.</summary>
    public MissedGap? Gap(string room)
    {
        lock (_lock)
        {
            return _gaps.TryGetValue(room, out var gaps) && gaps.Count > 0 ? gaps[^1] : null;
        }
    }

    /// <summary>A page back through <paramref name="gap"/> showed <paramref name="shown"/> of its messages, the oldest <paramref name="top"/>; <paramref name="closed"/> when it reached the gap's floor.</summary>
    public void PagedGap(string room, MissedGap gap, ulong top, long shown, bool closed)
    {
        lock (_lock)
        {
            int at = _gaps.TryGetValue(room, out var gaps) ? gaps.IndexOf(gap) : -1;
            if (gaps is null || at < 0)
            {
                return;
            }

            if (closed)
            {
                gaps.RemoveAt(at);
            }
            else
            {
                gaps[at] = gap with { Top = top, Count = Math.Max(0, gap.Count - shown) };
            }
        }
    }

    public void SetTopic(string room, string topic)
    {
        lock (_lock)
        {
            _topics[room] = topic;
        }
    }

    /// <summary>Notes a room's modes (from a RoomInfo); returns the ones noted before, null when none were (a new join).</summary>
    public LanTalk.Core.Packets.RoomModes? NoteModes(string room, LanTalk.Core.Packets.RoomModes modes)
    {
        lock (_lock)
        {
            LanTalk.Core.Packets.RoomModes? before = _modes.TryGetValue(room, out var known) ? known : null;
            _modes[room] = modes;
            return before;
        }
    }

    /// <summary>The room's topic as last heard; empty when none.</summary>
    public string Topic(string room)
    {
        lock (_lock)
        {
            return _topics.TryGetValue(room, out string? topic) ? topic : string.Empty;
        }
    }

    /// <summary>Notes a user's away text (empty: back). Away status is per user, not per room.</summary>
    public void SetAway(string user, string text)
    {
        lock (_lock)
        {
            if (text.Length == 0)
            {
                _away.Remove(user);
            }
            else
            {
                _away[user] = text;
            }
        }
    }

    /// <summary>The user's away text; null when not known to be away.</summary>
    public string? AwayText(string user)
    {
        lock (_lock)
        {
            return _away.TryGetValue(user, out string? text) ? text : null;
        }
    }

    private int IndexOf(string room) => _rooms.FindIndex(r => string.Equals(r, room, StringComparison.OrdinalIgnoreCase));
}
