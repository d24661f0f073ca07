using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>
/// Decides what a catch-up after a reconnect (JoinRoom with SinceId &gt; 0, docs/PROTOCOL.md "History and catch-up")
/// shows of a room. The server replays the OLDEST missed messages, at most MaxReplay (500), and counts the newer rest
/// in HistoryEnd.Remaining; shown as they came, a long absence would fill the screen with the oldest and never show
/// the newest. So, as Matrix clients treat a "limited" sync: the room's newest messages go right before "— now —",
/// under a marker that counts the missed ones before them (a gap that PageUp and /history page back through).
/// Bounded: <see cref="Budget"/> lines for all rooms together, split evenly, at least <see cref="MinPerRoom"/> and at
/// most <see cref="MaxPerRoom"/> per room, so 50 rooms that missed 50,000 messages print about 1,000 lines; and at
/// most two History requests per room, however much was missed.
/// </summary>
internal static class CatchUp
{
    /// <summary>Lines of missed messages for all rooms together: a few screens, not the whole absence.</summary>
    public const int Budget = 1000;

    /// <summary>Enough for a glance at what a room was talking about, even in 50 rooms.</summary>
    public const int MinPerRoom = 20;

    /// <summary>The server's default MaxHistoryPage: the newest page is one History request.</summary>
    public const int MaxPerRoom = 200;

    /// <summary>A History request of the room: forwards from afterId when it is not 0, else the newest below beforeId (0: the newest).</summary>
    public delegate Task<HistoryPage> Fetch(ulong afterId, ulong beforeId, int limit);

    /// <summary>How many missed messages one room shows when <paramref name="rooms"/> rooms share <paramref name="budget"/> lines.</summary>
    public static int PerRoom(int budget, int rooms) =>
        Math.Clamp(budget / Math.Max(1, rooms), Math.Min(MinPerRoom, Math.Max(1, budget)), MaxPerRoom);

    /// <summary>
    /// The view of a room caught up from <paramref name="since"/>: <paramref name="replayed"/> are the newest of the
    /// <paramref name="replayCount"/> replayed messages (oldest first), <paramref name="end"/> the replay's HistoryEnd.
    /// </summary>
    public static async Task<CatchUpView> ViewAsync(IReadOnlyList<ChatMessage> replayed, long replayCount, HistoryEndPacket end, ulong since, int perRoom, Fetch fetch)
    {
        if (end.Remaining == 0)
        {
            return Newest(replayed, replayCount, perRoom);
        }

        // The replay stopped at MaxReplay: the newest messages are the room's newest page (which may also hold a few
        // sent after the join; they arrive live too and are shown once).
        ulong replayLast = end.LastId > 0 ? end.LastId : since;
        var latest = await fetch(0, 0, perRoom).ConfigureAwait(false);
        var newer = latest.Messages.Where(m => m.Id > replayLast).ToList();
        if (newer.Count == 0)
        {
            // The rest went in the meantime (the room's history was cut): what the replay brought is all there is.
            return Newest(replayed, replayCount, perRoom);
        }

        if (newer.Count < latest.Messages.Count)
        {
            // The page reaches back into the replay: nothing lies between the two.
            return Newest([.. replayed, .. newer], replayCount + newer.Count, perRoom);
        }

        // Between the replay and the newest page: counted (the oldest one and Remaining beyond it), not fetched.
        var between = await fetch(replayLast, newer[0].Id, 1).ConfigureAwait(false);
        return new CatchUpView(newer, replayCount + between.Messages.Count + between.End.Remaining);
    }

    /// <summary>The view after a History request failed: the replay's newest, and the count of the newer ones not fetched.</summary>
    public static CatchUpView Unfetched(IReadOnlyList<ChatMessage> replayed, long replayCount, HistoryEndPacket end, int perRoom, string error) =>
        Newest(replayed, replayCount, perRoom) with { Unfetched = end.Remaining, Error = error };

    private static CatchUpView Newest(IReadOnlyList<ChatMessage> messages, long count, int perRoom)
    {
        var shown = messages.Skip(Math.Max(0, messages.Count - perRoom)).ToList();
        return new CatchUpView(shown, count - shown.Count);
    }
}
