using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>
/// Paging back through the missed messages a catch-up left unshown (<see cref="MissedGap"/>): PageUp and /history
/// go through the newest gap first, from its top down to its floor, and only then on before the oldest message shown.
/// </summary>
internal sealed partial class ChatCommands
{
    /// <summary>
    /// Of a page fetched below <paramref name="gap"/>'s top: the messages in the gap (above its floor; those below
    /// were shown before the reconnect), and the marker above them, which says how many are still before them.
    /// Moves the gap's top down to the oldest of them, or closes the gap once its floor is reached.
    /// </summary>
    private (IReadOnlyList<ChatMessage> Missed, string Marker) ThroughGap(string room, MissedGap gap, HistoryPage page, string key)
    {
        var missed = page.Messages.Where(m => m.Id > gap.Floor).ToList();
        long left = Math.Max(0, gap.Count - missed.Count);
        bool closed = missed.Count == 0 || missed.Count < page.Messages.Count || page.End.Remaining == 0 || left == 0;
        Rooms.PagedGap(room, gap, missed.Count > 0 ? missed[0].Id : gap.Top, missed.Count, closed);
        string marker = closed
            ? $"{ReplayMarkers.MissedWhileAway}: the first of them ({key} goes on before them)"
            : $"{ReplayMarkers.MissedWhileAway}: {left} more before these ({key})";
        return (missed, marker);
    }

    /// <summary>Said when a page through a gap brought none of it (its messages were deleted meanwhile).</summary>
    private void NoMoreMissed(string room) =>
        output.Status(formatter.Status($"no more missed messages in {RoomName.Display(room)}; paging back goes on before the oldest one shown", Connection.StatusLevel.Info));
}
