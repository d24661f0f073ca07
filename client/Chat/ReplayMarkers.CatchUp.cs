using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>The end of a catch-up: fetching the newest missed messages, then showing them and the live ones held meanwhile.</summary>
internal sealed partial class ReplayMarkers
{
    // The replays of rooms catching up, until FinishCatchUpAsync. Guarded by _lock.
    private readonly Dictionary<string, ReplayTail> _catchUps = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lines of missed messages a reconnect may print for all rooms together (<see cref="CatchUp.Budget"/>).</summary>
    public int CatchUpBudget { get; init; } = CatchUp.Budget;

    /// <summary>True from a catch-up's Expect until <see cref="FinishCatchUpAsync"/> showed it: its HistoryEnds close nothing.</summary>
    public bool IsCatchingUp(string room)
    {
        lock (_lock)
        {
            return _catchUps.ContainsKey(room);
        }
    }

    /// <summary>
    /// The join that caught <paramref name="room"/> up from <paramref name="since"/> ended with <paramref name="end"/>:
    /// fetches what the replay left out (through <paramref name="fetch"/>) and shows the result. When the connection
    /// drops meanwhile nothing is shown: the next login catches up from the same id again.
    /// </summary>
    public async Task FinishCatchUpAsync(string room, ulong since, HistoryEndPacket end, int rooms, CatchUp.Fetch fetch, Func<bool> connected)
    {
        IReadOnlyList<ChatMessage> replayed;
        long count;
        lock (_lock)
        {
            if (!_catchUps.TryGetValue(room, out var tail))
            {
                return;
            }

            replayed = tail.Newest;
            count = tail.Count;
        }

        int perRoom = CatchUp.PerRoom(CatchUpBudget, rooms);
        CatchUpView view;
        try
        {
            view = await CatchUp.ViewAsync(replayed, count, end, since, perRoom, fetch).ConfigureAwait(false);
        }
        catch (ChatClientException ex) when (connected())
        {
            view = CatchUp.Unfetched(replayed, count, end, perRoom, ex.Message);
        }
        catch (ChatClientException)
        {
            return;
        }

        showCatchUp?.Invoke(room, since, view);
    }

    /// <summary>
    /// The live messages held for a room catching up, oldest first; when none are left, the catch-up is over (and
    /// an empty list says so). Called until empty, so a message arriving meanwhile is either in a batch or shown
    /// live after them, never before.
    /// </summary>
    public IReadOnlyList<ChatMessage> ReleaseNext(string room)
    {
        lock (_lock)
        {
            if (_held.Remove(room, out var held) && held.Count > 0)
            {
                return held;
            }

            _catchUps.Remove(room);
            _expected.Remove(room);
            _open.Remove(room);
            Settle();
            return [];
        }
    }
}
