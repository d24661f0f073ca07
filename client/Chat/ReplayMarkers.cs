using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>
/// Frames replayed history with dim markers: <c>— earlier —</c> (history on join) or <c>— missed while away —</c>
/// (catch-up after a reconnect) before the first replayed message of a room, and <c>— now —</c> after the
/// server's HistoryEnd, so the reader sees where the past ends and live talk begins.
/// Live messages of a room whose replay is awaited wait here until it ends, so the past is never printed below the
/// present: another session of the user joining a room makes this window join it too, and a message sent there
/// right away arrives live before this window's replay.
/// A catch-up (SinceId &gt; 0) is not printed as it arrives: its replay is kept (<see cref="ReplayTail"/>) until
/// <see cref="FinishCatchUpAsync"/> has fetched the newest missed messages, and then shown as <see cref="CatchUp"/> decides.
/// So is the replay of a login's room at a start, until its HistoryEnd cuts it to the room's share (<see cref="TakeRecent"/>).
/// Thread-safe: the join is requested from the keyboard or the reconnect task, the replay arrives on the network.
/// </summary>
internal sealed partial class ReplayMarkers(Action<IReadOnlyList<ChatMessage>>? release = null, Action<string, ulong, CatchUpView>? showCatchUp = null)
{
    public const string Earlier = "earlier";

    public const string MissedWhileAway = "missed while away";

    public const string Now = "now";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _expected = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _open = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<ChatMessage>> _held = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A join is on its way: its replay is a catch-up (SinceId &gt; 0) or the room's recent history; with
    /// <paramref name="shared"/>, recent history that is one of a login's rooms and shares the start's budget with
    /// them (<see cref="TakeRecent"/>).
    /// </summary>
    public void Expect(string room, bool catchUp, bool shared = false)
    {
        lock (_lock)
        {
            _expected[room] = catchUp ? MissedWhileAway : Earlier;
            if (catchUp)
            {
                _catchUps[room] = new ReplayTail();
            }
            else
            {
                _catchUps.Remove(room);
            }

            if (shared && !catchUp)
            {
                _recent[room] = new ReplayTail(Math.Max(1, CatchUpBudget));
            }
            else
            {
                _recent.Remove(room);
            }
        }
    }

    /// <summary>A replayed message of <paramref name="room"/> arrived: the opening marker's label when it is the first, otherwise null.</summary>
    public string? Replayed(string room)
    {
        lock (_lock)
        {
            if (!_open.Add(room))
            {
                return null;
            }

            return _expected.Remove(room, out string? label) ? label : Earlier;
        }
    }

    /// <summary>
    /// The replay of <paramref name="room"/> ended: true when a marker was opened and must be closed. Not for a room
    /// catching up (<see cref="IsCatchingUp"/>): that ends with <see cref="FinishCatchUpAsync"/>.
    /// </summary>
    public bool Ended(string room)
    {
        lock (_lock)
        {
            _expected.Remove(room);
            // Still not shown: the closing marker and the held live messages follow; Shown says when they have.
            _closing.Add(room);
            return _open.Remove(room);
        }
    }

    /// <summary>
    /// Keeps a live message of a room whose replay is awaited or under way, and a replayed one of a room catching
    /// up; false (not held) for any other. The caller shows the live ones after the replay, from <see cref="TakeHeld"/>.
    /// </summary>
    public bool Hold(ChatMessage message)
    {
        if (message.Room.Length == 0)
        {
            return HoldStoredPrivate(message);
        }

        lock (_lock)
        {
            if ((message.Flags & MessageMarks.History) != 0)
            {
                if (!_catchUps.TryGetValue(message.Room, out var tail) && !_recent.TryGetValue(message.Room, out tail))
                {
                    return false;
                }

                tail.Add(message);
                return true;
            }

            if (!_expected.ContainsKey(message.Room) && !_open.Contains(message.Room) && !_catchUps.ContainsKey(message.Room))
            {
                return false;
            }

            if (!_held.TryGetValue(message.Room, out var held))
            {
                _held[message.Room] = held = new List<ChatMessage>();
            }

            held.Add(message);
            return true;
        }
    }

    /// <summary>The live messages held for <paramref name="room"/> while its replay was awaited, oldest first.</summary>
    public IReadOnlyList<ChatMessage> TakeHeld(string room)
    {
        lock (_lock)
        {
            return _held.Remove(room, out var held) ? held : [];
        }
    }

    /// <summary>The join failed: no replay comes, so the messages held for it are shown now.</summary>
    public void Cancel(string room)
    {
        List<ChatMessage>? held;
        lock (_lock)
        {
            _expected.Remove(room);
            _open.Remove(room);
            _catchUps.Remove(room);
            _recent.Remove(room);
            _closing.Remove(room);
            _held.Remove(room, out held);
        }

        if (held is not null)
        {
            release?.Invoke(held);
        }

        if (TakeHeldPrivate() is { Count: > 0 } privates)
        {
            release?.Invoke(privates);
        }

        lock (_lock)
        {
            Settle();
        }
    }

    // Private messages stored for this user while offline, delivered at login while the rooms' history replays: shown
    // after the last replay, next to the prompt. Shown first, 50 lines of #lobby history pushed them off the screen (a
    // UX audit, 2026-12-06). Under _lock.
    private readonly List<ChatMessage> _heldPrivate = [];

    private bool HoldStoredPrivate(ChatMessage message)
    {
        if ((message.Flags & MessageMarks.Offline) == 0)
        {
            return false;
        }

        lock (_lock)
        {
            if (!JoinReplayPending())
            {
                return false;
            }

            _heldPrivate.Add(message);
            return true;
        }
    }

    /// <summary>The stored private messages held while joins replayed history, once no such replay is left; else none.</summary>
    public IReadOnlyList<ChatMessage> TakeHeldPrivate()
    {
        lock (_lock)
        {
            if (_heldPrivate.Count == 0 || JoinReplayPending())
            {
                return [];
            }

            List<ChatMessage> held = [.. _heldPrivate];
            _heldPrivate.Clear();
            return held;
        }
    }

    // A join's history replay (not a catch-up) is awaited or under way. Under _lock.
    private bool JoinReplayPending() =>
        _expected.Values.Any(label => label == Earlier) || _open.Any(room => !_catchUps.ContainsKey(room));
}
