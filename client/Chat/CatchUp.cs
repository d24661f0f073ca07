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
/// A start shares the same budget out for the recent history of its rooms (<see cref="StartPerRoom"/>, <see cref="Recent"/>).
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

    /// <summary>
    /// At a start, the fewest of its newest messages each room shows however many rooms share the budget: a glance at
    /// what each room talks about, and still about <see cref="Budget"/> lines for the 200 rooms a busy user is in.
    /// </summary>
    public const int MinPerRoomAtStart = 5;

    /// <summary>How many missed messages one room shows when <paramref name="rooms"/> rooms share <paramref name="budget"/> lines.</summary>
    public static int PerRoom(int budget, int rooms) => PerRoom(budget, rooms, MinPerRoom, MaxPerRoom);

    /// <summary>
    /// How many of its recent messages one room shows at a start when <paramref name="rooms"/> rooms share
    /// <paramref name="budget"/> lines: up to 20 rooms (with the server's default HistoryOnJoin of 50) each shows all
    /// its join replayed, as a start always did; more rooms each show their newest share, at least
    /// <see cref="MinPerRoomAtStart"/>. An outside scale audit (2026-12-06) saw a user in 200 rooms get 10,000 old
    /// lines at every start, the few new ones buried.
    /// </summary>
    public static int StartPerRoom(int budget, int rooms) => PerRoom(budget, rooms, MinPerRoomAtStart, int.MaxValue);

    private static int PerRoom(int budget, int rooms, int min, int max) =>
        Math.Clamp(budget / Math.Max(1, rooms), Math.Min(min, Math.Max(1, budget)), max);

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

    /// <summary>
    /// What a start shows of a room's join replay (<paramref name="replayed"/>: the newest of the
    /// <paramref name="replayCount"/> it held, oldest first; <paramref name="end"/>: its HistoryEnd): the newest
    /// <paramref name="perRoom"/>, and as hidden the ones cut from the replay and the older ones it did not hold.
    /// </summary>
    public static CatchUpView Recent(IReadOnlyList<ChatMessage> replayed, long replayCount, HistoryEndPacket end, int perRoom)
    {
        var view = Newest(replayed, replayCount, perRoom);
        return view with { Hidden = view.Hidden + end.Remaining };
    }

    private static CatchUpView Newest(IReadOnlyList<ChatMessage> messages, long count, int perRoom)
    {
        var shown = messages.Skip(Math.Max(0, messages.Count - perRoom)).ToList();
        return new CatchUpView(shown, count - shown.Count);
    }
}
