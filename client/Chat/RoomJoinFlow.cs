using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>
/// One join of a room as this client makes it everywhere (the rooms of a login, /join, /go's resync): a catch-up from
/// the newest id seen there, or from 0 for a room seen empty (<see cref="RoomBook.CatchUpFrom"/>), then the newest
/// missed fetched and shown (<see cref="ReplayMarkers.FinishCatchUpAsync"/>); otherwise a fresh join, whose empty
/// replay is remembered (<see cref="RoomBook.SawEmpty"/>) so the next catch-up starts at the room's first message.
/// </summary>
internal static class RoomJoinFlow
{
    /// <summary>A History request of the room named <paramref name="room"/> (its server spelling), as <see cref="CatchUp.Fetch"/>.</summary>
    public delegate Task<HistoryPage> Fetch(string room, ulong afterId, ulong beforeId, int limit);

    /// <summary>
    /// Runs the join of <paramref name="room"/> from <paramref name="since"/> (null: a fresh join) through
    /// <paramref name="join"/>; <paramref name="answered"/> runs once the join's replay has ended, before the catch-up's
    /// pages are fetched. The caller called <see cref="ReplayMarkers.Expect"/> for it already.
    /// </summary>
    public static async Task<RoomJoin> RunAsync(string room, ulong? since, RoomBook rooms, ReplayMarkers markers,
        Func<ulong?, Task<RoomJoin>> join, Fetch fetch, Func<bool> connected, Action? answered = null)
    {
        var answer = await join(since).ConfigureAwait(false);
        answered?.Invoke();
        string name = answer.Room.Name;
        if (since is { } from)
        {
            await markers.FinishCatchUpAsync(name, from, answer.Replay, rooms.Rooms.Count,
                (after, before, limit) => fetch(name, after, before, limit), connected).ConfigureAwait(false);
        }
        else if (RoomJoin.WasEmpty(answer))
        {
            rooms.SawEmpty(name);
        }

        return answer;
    }
}
