using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>The private messages a dead connection swallowed, shown after the reconnect (<see cref="PrivateCatchUp"/>).</summary>
internal sealed partial class ChatPrinter
{
    public const string MissedPrivate = "private messages missed while away";

    // Private message ids shown in this process, never reset: the reset at each login (see _shown) would let the
    // catch-up show again what the login's stored (Offline) messages had just shown. Ids of private messages are
    // unique for good, since the catch-up needs a store.
    private readonly SeenIds _privateShown = new();

    // The newest message id (any room or conversation) shown in this process: where a private catch-up starts.
    private long _newestSeen;

    /// <summary>The newest private message id an earlier run archived, 0 for none (or no archive).</summary>
    public ulong ArchivedPrivateNewest => archive?.NewestPrivateAtStart ?? 0;

    /// <summary>The newest message id shown so far, 0 for none.</summary>
    public ulong NewestSeen => (ulong)Interlocked.Read(ref _newestSeen);

    /// <summary>Notes a message about to be shown. Called by Deliver once it is known to be new.</summary>
    private void NoteSeen(ChatMessage message)
    {
        if (message.To is not null)
        {
            _privateShown.Add(message.Id);
        }

        long id = (long)Math.Min(message.Id, long.MaxValue);
        long seen;
        while (id > (seen = Interlocked.Read(ref _newestSeen)) && Interlocked.CompareExchange(ref _newestSeen, id, seen) != seen)
        {
        }
    }

    private static bool StoredForLogin(ChatMessage message) => message.To is not null && (message.Flags & MessageMarks.Offline) != 0;

    /// <summary>
    /// A private message stored for this user's login that was shown already: in this window (the server sends a
    /// delivery again to every session that logs in within 30 s of it, a reconnect too) or by an earlier run, which
    /// archived it. Shown again, it read as new and unread at every start within that time (a usability audit,
    /// 2026-12-06: "[bob:1]" at each of three starts, after bob had his receipt).
    /// </summary>
    private bool ShownBefore(ChatMessage message) =>
        StoredForLogin(message) && (_privateShown.Contains(message.Id) || archive?.HeldAtStart(message) == true);

    /// <summary>
    /// The private messages of a catch-up page (oldest first) that this process has not shown, under their marker
    /// and followed by "— now —"; <paramref name="more"/> counts newer ones the page did not hold. Nothing when all
    /// were shown (the usual case: a reconnect after a clean drop loses nothing).
    /// </summary>
    public void ShowMissedPrivate(IReadOnlyList<ChatMessage> page, long more)
    {
        // Add marks each as shown here, so a second catch-up (another reconnect) cannot show it again.
        var missed = page.Where(m => m.To is not null && archive?.HeldAtStart(m) != true && _privateShown.Add(m.Id)).ToList();
        if (missed.Count == 0 || Quiet)
        {
            return;
        }

        output.Line(formatter.Marker(more > 0 ? $"{MissedPrivate} (and {more} more: /search finds them)" : MissedPrivate));
        var unread = new List<string>();
        foreach (var message in missed)
        {
            if (Deliver(message, openMarker: false) && !string.Equals(message.From, self(), StringComparison.OrdinalIgnoreCase))
            {
                unread.Add(message.From);
            }
        }

        output.Line(formatter.Marker(ReplayMarkers.Now));
        NoteUnread(unread);
    }

    /// <summary>
    /// Private messages from others that the catch-up found were never read here, unlike a room's replayed past: they
    /// wait in the hotlist and ring once, as stored ones do. Without it such a message sat above a start's room
    /// replay, scrolled away, with no sign in the prompt; and at a start the catch-up can win the race against the
    /// login's stored copy, which is then dropped as shown (a UX audit, 2026-12-07: 1 start in 4).
    /// </summary>
    private void NoteUnread(List<string> senders)
    {
        if (senders.Count == 0)
        {
            return;
        }

        if (Bell)
        {
            output.Bell();
        }

        if (Prompt is { } prompt)
        {
            foreach (string from in senders)
            {
                prompt.Hotlist.AddPrivate(from);
            }

            prompt.Refresh();
        }
    }
}
