using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>The v3 events: rooms joined and left, members, topics, away, invitations, receipts, ends of replays.</summary>
internal sealed partial class ChatPrinter
{
    // Stored private messages we sent, by id, until their receipt: the receipt names the time they were sent and how they began.
    private readonly Dictionary<ulong, (DateTimeOffset At, string Text)> _stored = new();
    private readonly Lock _storedLock = new();

    // Receipts shown in this process, by message id: a server stopped (kill -9) between telling a receipt and
    // recording it tells it again at the next login (docs/PROTOCOL.md, Receipts), and it is news once.
    private readonly SeenIds _receiptsShown = new();

    // Rooms whose invitation this process has shown: the server tells a pending invitation again at every login
    // (docs/PROTOCOL.md, Invite), and after a reconnect it is no news; a join uses it up, so a later one is news again.
    private readonly HashSet<string> _invitationsShown = new(StringComparer.OrdinalIgnoreCase);

    public void OnRoomJoined(RoomState room)
    {
        lock (_invitationsShown)
        {
            _invitationsShown.Remove(room.Name);
        }

        Rooms.Joined(room.Name);
        Rooms.SetTopic(room.Name, room.Info.Topic);
        // The login's RoomInfo of a room we were in before a reconnect: modes changed meanwhile are news too.
        ShowModeNews(room);
    }

    public void OnRoomChanged(RoomState room) => ShowModeNews(room);

    /// <summary>Says what changed in a room's modes since the last RoomInfo of it; nothing for a new join.</summary>
    private void ShowModeNews(RoomState room)
    {
        // Every member session gets the RoomInfo of a change, so each window (each of ours too) says what changed.
        if (Rooms.NoteModes(room.Name, room.Info.Flags) is { } before && !Quiet)
        {
            foreach (string change in ModeNews(room.Name, before, room.Info.Flags))
            {
                output.Line(formatter.RoomEvent(ServerNow, room.Name, change, Rooms.Current));
            }
        }
    }

    private static IEnumerable<string> ModeNews(string room, RoomModes before, RoomModes now)
    {
        string name = RoomName.Display(room);
        var changed = before ^ now;
        if ((changed & RoomModes.InviteOnly) != 0)
        {
            yield return (now & RoomModes.InviteOnly) != 0 ? $"{name} is invite-only now" : $"{name} is open to everyone now";
        }

        if ((changed & RoomModes.TopicByAnyone) != 0)
        {
            yield return (now & RoomModes.TopicByAnyone) != 0 ? $"any member may set the topic of {name} now" : $"only owners set the topic of {name} now";
        }

        if ((changed & now & RoomModes.YouOwn) != 0)
        {
            yield return $"you own {name} now";
        }
    }

    public void OnOnline(PresencePacket presence, bool online)
    {
        // Our own first session is us: no news.
        if (!Quiet && !string.Equals(presence.UserName, self(), StringComparison.OrdinalIgnoreCase))
        {
            // "is online" carries the login time, which is old news for someone back in sight (a room joined again):
            // printed at that time, it ran backwards below newer lines (a UX audit). Now the line is now, and says since when.
            var time = LanTalk.Core.Protocol.UnixMilliseconds.ToTime(presence.TimeMs);
            // Compared on the server's clock: on this machine's, a clock minutes ahead said "(since ...)" of every fresh login (clock audit).
            var now = ServerNow;
            bool earlier = online && now - time > TimeSpan.FromMinutes(1);
            string text = online ? $"{presence.UserName} is online{(earlier ? $" (since {formatter.Time(time)})" : string.Empty)}" : $"{presence.UserName} went offline";
            output.Line(formatter.RoomEvent(earlier ? now : time, null, text, Rooms.Current));
        }
    }

    public void OnOutOfSight(PresencePacket presence)
    {
        if (!Quiet && !string.Equals(presence.UserName, self(), StringComparison.OrdinalIgnoreCase))
        {
            output.Line(formatter.RoomEvent(LanTalk.Core.Protocol.UnixMilliseconds.ToTime(presence.TimeMs), null, $"{presence.UserName} is in none of your rooms now", Rooms.Current));
        }
    }

    public void OnMembersChanged(string room, IReadOnlyList<OnlineUser> users, bool joined, IReadOnlyList<MemberDeparture>? why)
    {
        if (Quiet)
        {
            return;
        }

        for (int i = 0; i < users.Count; i++)
        {
            var user = users[i];
            if (string.Equals(user.Name, self(), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!joined)
            {
                Rooms.SetAway(user.Name, string.Empty);
            }

            // A kick and a part's reason used to read as a plain "left" (a UX audit): the server says which it was.
            string what = joined ? $"{user.Name} joined"
                : why is not null && i < why.Count ? Departure(user.Name, why[i])
                : $"{user.Name} left";
            output.Line(formatter.RoomEvent(LanTalk.Core.Protocol.UnixMilliseconds.ToTime(user.ConnectedAtMs), room, what, Rooms.Current));
        }
    }

    /// <summary>"bob left (lunch)", "bob was removed by alice (spam)", "bob was removed by alice".</summary>
    private static string Departure(string name, MemberDeparture why)
    {
        string reason = why.Text.Length > 0 ? $" ({why.Text})" : string.Empty;
        return why.Reason == RoomLeftReason.Kicked
            ? $"{name} was removed by {why.By}{reason}"
            : $"{name} left{reason}";
    }

    public void OnRoomLeft(string room, RoomLeftPacket left)
    {
        // Tag 0 on a leave: not this window's own /part but another device's. A deletion is this window's own only
        // when it asked for it here (its RoomLeft has Tag 0 everywhere); then the next line goes on to the room that
        // becomes current, as after /part, instead of being held back as typed for a room taken away (a UX audit).
        bool here = left.Reason == RoomLeftReason.Left ? left.Tag != 0 : left.Reason == RoomLeftReason.Deleted && Rooms.DeletedHere(room);
        Rooms.Left(room, chosenHere: here);
        string name = RoomName.Display(room);
        string reason = left.Text.Length > 0 ? $": {left.Text}" : string.Empty;
        string text = left.Reason switch
        {
            RoomLeftReason.Kicked => $"{left.By} removed you from {name}{reason}",
            RoomLeftReason.Deleted when here => $"you deleted {name}",
            // Deleted from another window of the same user: "by alice" would read as someone else.
            RoomLeftReason.Deleted when string.Equals(left.By, self(), StringComparison.OrdinalIgnoreCase) => $"you deleted {name} on another device",
            RoomLeftReason.Deleted => $"{name} was deleted{(left.By.Length > 0 ? " by " + left.By : string.Empty)}",
            _ when !here => $"you left {name} on another device{reason}",
            _ => $"you left {name}{reason}",
        };
        output.Status(formatter.Status(text + (Rooms.Current is { } current ? $"; now in {RoomName.Display(current)}" : "; you are in no room now (/join ROOM)"),
            left.Reason == RoomLeftReason.Left ? Connection.StatusLevel.Info : Connection.StatusLevel.Warning));
    }

    public void OnTopic(string room, TopicPacket topic)
    {
        Rooms.SetTopic(room, topic.Text);
        if (!Quiet)
        {
            string text = topic.Text.Length == 0 ? $"{topic.SetBy} cleared the topic" : $"{topic.SetBy} set the topic: {topic.Text}";
            output.Line(formatter.RoomEvent(LanTalk.Core.Protocol.UnixMilliseconds.ToTime(topic.TimeMs), room, text, Rooms.Current));
        }
    }

    public void OnAway(AwayPacket away, bool reply)
    {
        bool wasAway = Rooms.AwayText(away.UserName) is { Length: > 0 };
        Rooms.SetAway(away.UserName, away.Text);
        if (string.Equals(away.UserName, self(), StringComparison.OrdinalIgnoreCase))
        {
            Prompt?.Refresh();
        }

        if (!Quiet)
        {
            bool me = string.Equals(away.UserName, self(), StringComparison.OrdinalIgnoreCase);
            if (me && away.Text.Length == 0 && away.TimeMs == 0 && !wasAway && !reply)
            {
                // The answer to /back while not away (PROTOCOL.md, SetAway: nothing changed, TimeMs 0). "* you are back"
                // told of an event that never happened (a UX audit in tmux, 2026-12-07). A window that knew you away
                // (a reconnect after /back on another device) still says you are back.
                output.Status(formatter.Status("you were not away; /away TEXT sets it", StatusLevel.Info));
                return;
            }

            string who = me ? "you are" : $"{away.UserName} is";
            // The answer to a private message (IRC's 301) read as a second copy of the away notice shown a moment
            // before (a UX audit, 2026-12-05): it says what it answers.
            string text = away.Text.Length == 0 ? $"{who} back"
                : reply ? $"{away.UserName} is away ({away.Text}) and will see your private message later"
                : $"{who} away: {away.Text}";
            // A /back while not away is answered with no time (TimeMs 0): it showed as [00:00] (a UX audit, 2026-12-05).
            var time = away.TimeMs > 0 ? LanTalk.Core.Protocol.UnixMilliseconds.ToTime(away.TimeMs) : ServerNow;
            output.Line(formatter.RoomEvent(time, null, text, Rooms.Current));
        }
    }

    public void OnInvited(string room, RoomRequestPacket invitation)
    {
        if (Quiet)
        {
            // 'lantalk send' in a script: its output is the result of the send alone. The server tells a pending
            // invitation at every login, so each cron run printed it (a soak audit, 2026-12-06); the chat shows it.
            return;
        }

        lock (_invitationsShown)
        {
            // A live one (with its inviter) is always shown: it may be a new invitation after one that lapsed.
            if (!_invitationsShown.Add(room) && invitation.Name.Length == 0)
            {
                return;
            }
        }

        Rooms.Heard(Rooms.Known.Append(room));
        // An invitation made while we were away comes at login without its inviter (the server keeps only that it exists).
        string who = invitation.Name.Length > 0 ? $"{invitation.Name} invites you" : "you are invited";
        output.Status(formatter.Status($"{who} to {RoomName.Display(room)}: /join {room}", Connection.StatusLevel.Warning));
        output.Bell();
    }

    public void OnReceipt(ReceiptPacket receipt)
    {
        if (!_receiptsShown.Add(receipt.MessageId))
        {
            return;
        }

        DateTimeOffset? sent = null;
        string? text = null;
        lock (_storedLock)
        {
            if (_stored.Remove(receipt.MessageId, out var stored))
            {
                (sent, text) = stored;
            }
        }

        if (!Quiet)
        {
            output.Line(formatter.Receipt(receipt.Recipient, LanTalk.Core.Protocol.UnixMilliseconds.ToTime(receipt.TimeMs), sent, text));
        }
    }

    public void OnHistoryEnded(string room, HistoryEndPacket end)
    {
        // A catch-up's replay is only its first part: it ends in ShowCatchUp, after the newest missed are fetched.
        if (Markers.IsCatchingUp(room))
        {
            return;
        }

        try
        {
            // History on join: Remaining counts the room's older messages; a start in many rooms shows only the newest
            // of each room's replay, and counts the others with them.
            long older = end.Remaining;
            ulong first = end.FirstId;
            bool counted = false;
            if (Markers.TakeRecent(room, end, Rooms.Rooms.Count) is { } recent)
            {
                older = recent.Hidden;
                first = recent.Shown.Count > 0 ? recent.Shown[0].Id : 0;
                // A start's replay is held until here, so the count goes where "before these" is true: under
                // "— earlier —", above the lines; printed after them it read as more to come (an outside audit, F5).
                if (older > 0 && !Quiet && recent.Shown.Count > 0 && Markers.Replayed(room) is { } label)
                {
                    output.Line(formatter.Marker(Elsewhere(label, room)));
                    output.Line(formatter.Marker(MoreBefore(older)));
                    counted = true;
                }

                foreach (var message in recent.Shown)
                {
                    Deliver(message, openMarker: true);
                }
            }

            // Older messages this replay did not bring, after what an earlier run archived: a gap in the archive.
            archive?.ReplayEnded(room, first, older);

            if (Markers.Ended(room) && !Quiet)
            {
                if (older > 0 && !counted)
                {
                    output.Line(formatter.Marker(MoreBefore(older)));
                }

                output.Line(formatter.Marker(ReplayMarkers.Now));
            }

            // The live messages that arrived while the replay was awaited follow it; after the last replay, the private
            // messages stored while this user was offline.
            foreach (var message in Markers.TakeHeld(room).Concat(Markers.TakeHeldPrivate()))
            {
                OnMessage(message);
            }
        }
        finally
        {
            // Only now may /history or PageUp, waiting for this replay, print below it.
            Markers.Shown(room);
        }
    }

    /// <summary>
    /// A catch-up from <paramref name="since"/> is complete: its newest missed messages under "— missed while away —"
    /// (with the count of those before them, not shown, which PageUp and /history page back through), "— now —",
    /// then the live messages held meanwhile.
    /// </summary>
    public void ShowCatchUp(string room, ulong since, CatchUpView view)
    {
        if (view.Hidden > 0 && view.Shown.Count > 0)
        {
            Rooms.AddGap(room, new MissedGap(since, view.Shown[0].Id, view.Hidden));
            // Before the newest are archived: a range of archived ids must not reach across what was not shown.
            archive?.Hole(room, since, view.Shown[0].Id, view.Hidden);
        }

        bool any = view.Shown.Count > 0 || view.Unfetched > 0;
        if (any && !Quiet)
        {
            string label = Elsewhere(ReplayMarkers.MissedWhileAway, room);
            if (view.Hidden > 0)
            {
                string how = string.Equals(room, Rooms.Current, StringComparison.OrdinalIgnoreCase) ? "PageUp or /history shows them" : $"/go {RoomName.Display(room)}, then PageUp";
                label += $": {view.Hidden} more before these ({how})";
            }

            output.Line(formatter.Marker(label));
        }

        foreach (var message in view.Shown)
        {
            Deliver(message, openMarker: false);
        }

        if (any && !Quiet)
        {
            if (view.Unfetched > 0)
            {
                output.Line(formatter.Marker($"{view.Unfetched} newer missed messages could not be fetched: {view.Error}"));
            }

            output.Line(formatter.Marker(ReplayMarkers.Now));
        }

        // Until the markers let go of the room, a live message arriving now is held and comes in the next batch.
        while (Markers.ReleaseNext(room) is { Count: > 0 } held)
        {
            foreach (var message in held)
            {
                Deliver(message, openMarker: false);
            }
        }
    }

    /// <summary>Remembers a stored message's time until its receipt.</summary>
    private void NoteStored(ChatMessage message)
    {
        if ((message.Flags & MessageMarks.Stored) != 0)
        {
            lock (_storedLock)
            {
                _stored[message.Id] = (message.ServerTime, message.Text);
            }
        }
    }

    private static string MoreBefore(long older) => $"{older} more before these; /history pages back";
}
