using LanTalk.Client.Connection;
using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>PageUp and PageDown: paging back through the current room's history on the server, and back to now.</summary>
internal sealed partial class ChatCommands
{
    // The server caps a page at MaxHistoryPage (200 by default) anyway; asking for more is pointless.
    private const int MaxPage = 200;

    /// <summary>Which page PageUp asks for next, per room.</summary>
    public ScrollBack Scroll { get; init; } = new();

    /// <summary>Where live lines wait while an earlier page is read; null where nothing scrolls (pipe mode): the page is simply printed.</summary>
    public HeldOutput? Held { get; init; }

    /// <summary>Messages per PageUp: about a screen (the terminal's height less the prompt and the markers).</summary>
    public Func<int> PageSize { get; init; } = () => 20;

    /// <summary>
    /// PageUp pages the server's history before the first message this window showed; what scrolled off the screen
    /// since is the terminal's. "No earlier messages" alone read as false in a window open all day (a UX audit, 2026-12-06).
    /// </summary>
    private static string NoEarlier(string room) =>
        $"no earlier messages in {RoomName.Display(room)} (lines that scrolled off the screen are in the terminal's scrollback, in tmux Ctrl+B [, and in /archive)";

    /// <summary>
    /// PageUp: the page before the oldest message shown in the current room, between "— earlier —" and a note
    /// that PageDown returns; first, though, the pages of missed messages a catch-up left unshown (newest first). Each page is asked for once; new lines wait (see <see cref="HeldOutput"/>) until PageDown.
    /// </summary>
    public async Task PageUpAsync(CancellationToken cancellationToken)
    {
        if (!session.IsConnected)
        {
            Fail(NotConnected);
            return;
        }

        if (!session.IsV3)
        {
            Fail("this server speaks protocol v2: it keeps no history to page back through");
            return;
        }

        // The page before the oldest message shown: pressed in the first second, before the join's history was shown,
        // PageUp paged from the newest message and printed that history twice (an outside client audit, 2026-12-06).
        await session.LoginShownAsync(cancellationToken).ConfigureAwait(false);
        if (CurrentOrSay() is not { } room)
        {
            return;
        }

        await session.RoomShownAsync(room, cancellationToken).ConfigureAwait(false);

        // Missed messages a catch-up left unshown come first: they are newer than anything before the reconnect.
        var gap = Rooms.Gap(room);
        if ((gap is null ? Scroll.Next(room, Rooms.Oldest(room)) : Scroll.NextInGap(room, gap.Top)) is not { } before)
        {
            if (gap is null && Scroll.IsExhausted(room))
            {
                output.Status(formatter.Status(NoEarlier(room), StatusLevel.Info));
            }

            // Otherwise this page is on its way already: one request per page, however often the key is pressed.
            return;
        }

        HistoryPage page;
        try
        {
            page = await session.HistoryAsync(room, before, Math.Clamp(PageSize(), 1, MaxPage), cancellationToken).ConfigureAwait(false);
        }
        catch (ChatClientException ex)
        {
            Scroll.Failed(room, before);
            Fail(ex.Message);
            return;
        }

        IReadOnlyList<ChatMessage> messages = page.Messages;
        string marker;
        if (gap is not null)
        {
            (messages, marker) = ThroughGap(room, gap, page, "PageUp");
            if (messages.Count == 0)
            {
                NoMoreMissed(room);
                return;
            }
        }
        else
        {
            Scroll.Answered(room, page.Messages.Count, page.End.Remaining);
            if (page.Messages.Count == 0)
            {
                output.Status(formatter.Status(NoEarlier(room), StatusLevel.Info));
                return;
            }

            marker = page.End.Remaining > 0 ? $"{ReplayMarkers.Earlier} ({page.End.Remaining} more before these; PageUp)" : ReplayMarkers.Earlier;
        }

        Held?.Hold();
        Page(formatter.Marker(marker));
        foreach (var message in messages)
        {
            Rooms.Saw(room, message.Id);
            if (Scroll.Show(message.Id))
            {
                archive.Append(message);
                var (line, indent) = formatter.MessageLine(message, session.UserName, currentRoom: Rooms.Current);
                Page(line, indent);
            }
        }

        if (gap is null && messages.Count > 0)
        {
            // A page may reach back to messages older than a gap in the archive (a room left and joined again).
            archive.ReplayEnded(room, messages[0].Id, page.End.Remaining);
        }

        Page(formatter.Marker(Held is null ? ReplayMarkers.Now : "PageDown: back to now"));
    }

    /// <summary>PageDown: back to now, printing what arrived while scrolled back. False when not scrolled back.</summary>
    public bool PageDown()
    {
        if (Held?.Release(formatter.Marker(ReplayMarkers.Now)) is not { } count)
        {
            return false;
        }

        if (count > 0)
        {
            output.Status(formatter.Status(count == 1 ? "1 line arrived while you were scrolled back" : $"{count} lines arrived while you were scrolled back", StatusLevel.Info));
        }

        return true;
    }

    private void Page(string line)
    {
        if (Held is { } held)
        {
            held.Direct(line);
        }
        else
        {
            output.Line(line);
        }
    }

    private void Page(string line, int indent)
    {
        if (Held is { } held)
        {
            held.Direct(line, indent);
        }
        else
        {
            output.Line(line, indent);
        }
    }
}
