using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>
/// A start's recent history of many rooms: each join of a login's rooms replays the room's last HistoryOnJoin (50)
/// messages, and 200 rooms printed 10,000 old lines at every start, burying the few new ones (an outside scale
/// audit, 2026-12-06). Such a replay is kept as it arrives, and its HistoryEnd shows only the room's share of
/// <see cref="CatchUpBudget"/>, the newest (<see cref="CatchUp.StartPerRoom"/>): a start in up to 20 rooms shows
/// everything replayed, as it always did. The join frame carries no limit (docs/PROTOCOL.md, "Replay on join"), so
/// the cut is made here: History pages of the size wanted would go one at a time (ChatClient.Pages.cs) and bypass
/// the server's HistoryOnJoin.
/// </summary>
internal sealed partial class ReplayMarkers
{
    // The replays of a login's rooms, kept until their HistoryEnd (TakeRecent). Guarded by _lock.
    private readonly Dictionary<string, ReplayTail> _recent = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The replay of <paramref name="room"/>, one of <paramref name="rooms"/> a start shows, ended with
    /// <paramref name="end"/>: what it shows of it (the newest of its share, and how many older ones it leaves to
    /// PageUp and /history), once; null for a replay not kept (a /join, a catch-up).
    /// </summary>
    public CatchUpView? TakeRecent(string room, HistoryEndPacket end, int rooms)
    {
        ReplayTail? tail;
        lock (_lock)
        {
            if (!_recent.Remove(room, out tail))
            {
                return null;
            }
        }

        return CatchUp.Recent(tail.Newest, tail.Count, end, CatchUp.StartPerRoom(CatchUpBudget, rooms));
    }
}
