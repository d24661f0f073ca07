using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>The v3 commands: rooms, topic, invite, kick, who, away, history and search.</summary>
internal sealed partial class ChatCommands
{
    /// <summary>The rooms and the current one; shared with the printer, which keeps it up to date from the server's events.</summary>
    public RoomBook Rooms { get; init; } = new();

    /// <summary>The markers around replayed history, shared with the printer.</summary>
    public ReplayMarkers Markers { get; init; } = new();

    private const string NotConnected = "not connected to the server right now; try again once lantalk has reconnected (/reconnect tries at once)";

    private void SendToRoom(string text, bool action)
    {
        // While disconnected the version is unknown: keep the room, which the session ignores if a v2 server answers.
        if (session.IsConnected && !session.IsV3)
        {
            // A v2 server has one room and no actions: /me goes out as the text IRC users would type.
            Send(null, action ? "* " + session.UserName + " " + text : text);
            return;
        }

        if (Rooms.TakeMovedFrom() is { } from && Rooms.Current is { } now)
        {
            // Typed for a room taken away meanwhile (a kick, a deletion, a leave on another device): Enter posted it to
            // the room that replaced it, "the root password is ..." in #lobby (a UX audit, 2026-12-06). Once.
            Fail($"not sent: you are no longer in {RoomName.Display(from)}, and this would have gone to {RoomName.Display(now)}. " +
                 $"Up brings it back: Enter sends it to {RoomName.Display(now)}, or pick a room first (/go ROOM, Alt+1..9).");
            return;
        }

        if (Rooms.Current is null && session.IsConnected && session.RoomsKnown)
        {
            // In no room, with the login's rooms all known (the last one left, kicked from or deleted): sent to the
            // default room, the line came back "not delivered: you are not in 'lobby'", a room the user never
            // picked (a client audit, F14).
            Fail("not sent: you are in no room; /join ROOM first, or /msg NAME text (Up brings the line back)");
            return;
        }

        // No room known yet (the room infos follow the login): the empty target means the server's default room, and
        // the server says NotInRoom if the user left it.
        Send(null, text, Rooms.Current ?? string.Empty, action);
    }

    // When the server's room list was last asked for Tab (Environment.TickCount64), 0 = never.
    private long _roomNamesAskedTicks;

    /// <summary>
    /// Asks the server for its rooms, at most every 2 s, so Tab after /join offers rooms this window
    /// never listed: "/join de" + Tab completed nothing while #dev existed, and Enter created #de (a UX audit,
    /// 2026-12-06). Tab itself completes from what is known at that moment; a failure is silent (a v2 server, offline).
    /// </summary>
    /// <returns>The background request (tests wait for it), or a completed task when none was needed.</returns>
    public Task RefreshRoomNames(CancellationToken cancellationToken)
    {
        long now = Environment.TickCount64;
        long asked = Interlocked.Read(ref _roomNamesAskedTicks);
        if ((asked != 0 && now - asked < 2_000) || !session.IsConnected || !session.IsV3 || Interlocked.CompareExchange(ref _roomNamesAskedTicks, now, asked) != asked)
        {
            return Task.CompletedTask;
        }

        return ListRoomNamesAsync(cancellationToken);
    }

    private async Task ListRoomNamesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var rooms = await session.ListRoomsAsync(cancellationToken).ConfigureAwait(false);
            Rooms.Heard(rooms.Select(r => r.Name));
        }
        catch (Exception ex) when (ex is ChatClientException or OperationCanceledException)
        {
            // Tab falls back to the rooms already known.
        }
    }

    private async Task RoomCommandAsync(ChatInput input, CancellationToken cancellationToken)
    {
        // Disconnected, the protocol version is unknown (the server may come back upgraded): say what is wrong,
        // not "v2". /go only switches between the rooms already known, so it works offline.
        if (!session.IsConnected && input is not GoInput)
        {
            Fail(NotConnected);
            return;
        }

        if (!session.IsV3 && session.IsConnected)
        {
            Fail("this server speaks protocol v2: it has one room and no history, so rooms, away, /history and /search are not available");
            return;
        }

        if (input is GoInput go)
        {
            Go(go.Room);
            return;
        }

        if (input is HistoryInput or JoinInput)
        {
            // They read what the login's replays showed (the oldest id, the newest): typed in the first second, they
            // must not run before the window knows its rooms. (Pipe mode waits before every line: ExecuteAsync.)
            await session.LoginShownAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            switch (input)
            {
                case JoinInput join:
                    await JoinAsync(join.Room, join.Modes, cancellationToken).ConfigureAwait(false);
                    break;
                case ModeInput mode when CurrentOrSay() is { } room:
                    await ModeAsync(room, mode.Change, cancellationToken).ConfigureAwait(false);
                    break;
                case DeleteInput delete:
                    await DeleteAsync(delete.Room, cancellationToken).ConfigureAwait(false);
                    break;
                case PartInput part:
                    await PartAsync(part, cancellationToken).ConfigureAwait(false);
                    break;
                case RoomsInput:
                    var rooms = await session.ListRoomsAsync(cancellationToken).ConfigureAwait(false);
                    Rooms.Heard(rooms.Select(r => r.Name));
                    output.Line(formatter.RoomList(rooms, Rooms.Rooms));
                    break;
                case TopicInput topic:
                    await TopicAsync(topic.Text, cancellationToken).ConfigureAwait(false);
                    break;
                case InviteInput invite when CurrentOrSay() is { } room:
                    // The server accepts both and sends an invitation nobody needs (to your own windows, for yourself).
                    if (string.Equals(invite.Name, session.UserName, StringComparison.OrdinalIgnoreCase))
                    {
                        Fail($"you cannot invite yourself: you are already in {RoomName.Display(room)}");
                        break;
                    }

                    if (session.Members(room).Any(m => string.Equals(m.Name, invite.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        Fail($"{invite.Name} is already in {RoomName.Display(room)}");
                        break;
                    }

                    await session.InviteAsync(room, invite.Name, cancellationToken).ConfigureAwait(false);
                    output.Status(formatter.Status($"invited {invite.Name} to {RoomName.Display(room)}", StatusLevel.Info));
                    break;
                case KickInput kick when CurrentOrSay() is { } room:
                    await session.KickAsync(room, kick.Name, kick.Reason, cancellationToken).ConfigureAwait(false);
                    // The server withdraws an invitation when the name is not a member (docs/PROTOCOL.md, Kick); the
                    // member list here holds the online members only, so for anyone else either may have happened.
                    bool online = session.Members(room).Any(m => string.Equals(m.Name, kick.Name, StringComparison.OrdinalIgnoreCase));
                    output.Status(formatter.Status(online
                        ? $"removed {kick.Name} from {RoomName.Display(room)}"
                        : $"{kick.Name} is no longer a member of {RoomName.Display(room)} nor invited to it", StatusLevel.Info));
                    break;
                case AwayInput away:
                    // The server's Away notice (to every session of ours) says it in the transcript.
                    await session.SetAwayAsync(away.Text, cancellationToken).ConfigureAwait(false);
                    break;
                case HistoryInput history when CurrentOrSay() is { } room:
                    await HistoryAsync(room, history.Count, cancellationToken).ConfigureAwait(false);
                    break;
                case SearchInput search:
                    await SearchAsync(search.Text, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (ChatClientException ex)
        {
            Fail(ex.Message);
        }
    }

    private string? CurrentOrSay()
    {
        if (Rooms.Current is { } room)
        {
            return room;
        }

        Fail("you are in no room; /join ROOM first");
        return null;
    }

    /// <summary>Alt+<paramref name="number"/>: switches as /go does, and says so (the lines of two rooms read alike otherwise). False when there is no such room.</summary>
    public bool GoNumber(int number)
    {
        if (Rooms.Go(number) is not { } room)
        {
            return false;
        }

        output.Status(formatter.Status($"now in {RoomName.Display(room)}{TopicSuffix(room)}", StatusLevel.Info));
        return true;
    }

    private void Go(string name)
    {
        if (Rooms.Go(name))
        {
            output.Status(formatter.Status($"now in {RoomName.Display(Rooms.Current!)}{TopicSuffix(Rooms.Current!)}", StatusLevel.Info));
        }
        else
        {
            Fail($"you are not in {RoomName.Display(name)}; /join {name} first");
        }
    }

    private async Task JoinAsync(string name, ModeChange? modes, CancellationToken cancellationToken)
    {
        // Joining a room you are in is a resynchronisation: ask only for what came after the newest message seen,
        // once its replay under way (if any) has shown it.
        string room = Rooms.Find(name) ?? name;
        await session.RoomShownAsync(room, cancellationToken).ConfigureAwait(false);
        ulong? since = Rooms.CatchUpFrom(room);
        Markers.Expect(room, catchUp: since is not null);
        // The room is current before its replay arrives, so the replay reads as this room's, not dimmed as another's.
        string? previous = Rooms.Current;
        bool wasIn = Rooms.Contains(room);
        Rooms.Joined(room, makeCurrent: true);
        RoomState join;
        try
        {
            var createModes = modes?.Apply(RoomModes.None) ?? RoomModes.None;
            join = (await RoomJoinFlow.RunAsync(room, since, Rooms, Markers,
                from => from is { } id ? session.CatchUpRoomAsync(room, id, cancellationToken, createModes) : session.JoinRoomAsync(room, 0, cancellationToken, createModes),
                (name, after, before, limit) => session.HistoryAsync(name, after, before, limit, cancellationToken),
                () => session.IsConnected).ConfigureAwait(false)).Room;
        }
        catch (ChatClientException)
        {
            Markers.Cancel(room);
            if (!wasIn)
            {
                Rooms.Left(room, chosenHere: true);
            }

            if (previous is not null)
            {
                Rooms.Go(previous);
            }

            throw;
        }

        Rooms.Joined(join.Name, makeCurrent: true);
        Rooms.SetTopic(join.Name, join.Info.Topic);
        string members = join.Info.MemberCount == 1 ? "1 member" : $"{join.Info.MemberCount} members";
        output.Status(formatter.Status($"now in {RoomName.Display(join.Name)} ({members}){TopicSuffix(join.Name)}", StatusLevel.Info));
        if (modes is { } asked && (join.Info.Flags & RoomModes.Settable) != asked.Apply(RoomModes.None) && (join.Info.Flags & RoomModes.Default) == 0)
        {
            // The modes of a join apply only to a room it creates: say so, instead of leaving an open room looking private.
            output.Status(formatter.Status($"{RoomName.Display(join.Name)} existed already, so its modes are its own: {ModeChange.Describe(join.Info.Flags)} (owners change them with /mode)", StatusLevel.Warning));
        }
    }

    private async Task PartAsync(PartInput part, CancellationToken cancellationToken)
    {
        string? name = part.Room;
        string reason = part.Reason;
        if (part.RoomOrReason is { } maybe && Rooms.Find(maybe) is { } joined)
        {
            // "/part dev see you" while in dev: the room, then the reason.
            name = joined;
            reason = reason[(reason.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
        }

        if (part.RoomOrReason is not null && ArgumentLimits.TextProblem("reason", reason) is { } tooLong)
        {
            Fail(tooLong);
            return;
        }

        string? room = name is null ? CurrentOrSay() : Rooms.Find(name);
        if (room is null)
        {
            if (name is not null)
            {
                Fail($"you are not in {RoomName.Display(name)}");
            }

            return;
        }

        // The server's RoomLeft (to every session of ours) updates the rooms and says so.
        await session.LeaveRoomAsync(room, reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task TopicAsync(string? text, CancellationToken cancellationToken)
    {
        if (CurrentOrSay() is not { } room)
        {
            return;
        }

        if (text is null)
        {
            string topic = Rooms.Topic(room);
            output.Status(formatter.Status(topic.Length == 0 ? $"{RoomName.Display(room)} has no topic" : $"topic of {RoomName.Display(room)}: {topic}", StatusLevel.Info));
            return;
        }

        // The Topic the server sends to every member is shown by the printer, ours included.
        await session.SetTopicAsync(room, text, cancellationToken).ConfigureAwait(false);
    }

    private void ShowMembers()
    {
        if (CurrentOrSay() is { } room)
        {
            var online = session.OnlineUsers.Select(u => u.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            output.Line(formatter.Members(room, session.Members(room), session.UserName, Rooms.AwayText, session.Owners(room), online.Contains));
        }
    }

    private async Task WhoIsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var info = await session.WhoIsAsync(name, cancellationToken).ConfigureAwait(false);
            output.Line(formatter.UserInfo(info, session.UserName, session.SessionId));
        }
        catch (ChatClientException ex)
        {
            Fail($"cannot look up {name}: {ex.Message}");
        }
    }

    private async Task HistoryAsync(string room, int count, CancellationToken cancellationToken)
    {
        // The page before the oldest message shown: shown by the room's replay, so after it (a /join elsewhere, a catch-up).
        await session.RoomShownAsync(room, cancellationToken).ConfigureAwait(false);
        // Missed messages a catch-up left unshown come first, as with PageUp.
        var gap = Rooms.Gap(room);
        var page = await session.HistoryAsync(room, gap?.Top ?? Rooms.Oldest(room), count, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ChatMessage> messages = page.Messages;
        string marker = page.End.Remaining > 0 ? $"{ReplayMarkers.Earlier} ({page.End.Remaining} more before these)" : ReplayMarkers.Earlier;
        if (gap is not null)
        {
            (messages, marker) = ThroughGap(room, gap, page, "/history");
            if (messages.Count == 0)
            {
                NoMoreMissed(room);
                return;
            }
        }
        else if (page.Messages.Count == 0)
        {
            output.Status(formatter.Status($"no earlier messages in {RoomName.Display(room)}", StatusLevel.Info));
            return;
        }

        output.Line(formatter.Marker(marker));
        foreach (var message in messages)
        {
            Rooms.Saw(room, message.Id);
            archive.Append(message);
            var (line, indent) = formatter.MessageLine(message, session.UserName, currentRoom: Rooms.Current);
            output.Line(line, indent);
        }

        if (gap is null && messages.Count > 0)
        {
            // As PageUp: a page may reach back past a gap in the archive.
            archive.ReplayEnded(room, messages[0].Id, page.End.Remaining);
        }

        output.Line(formatter.Marker(ReplayMarkers.Now));
    }

    private const long SearchCountCap = 10_000;

    // The last search and the oldest match it showed, for /search alone (the next, older page); only the keyboard
    // thread touches them. Null before any search and after the last page.
    private (string Text, ulong OldestId)? _lastSearch;

    private async Task SearchAsync(string text, CancellationToken cancellationToken)
    {
        ulong beforeId = 0;
        bool next = text.Length == 0;
        if (next)
        {
            // Only the newest page of a search could be seen, "50 of 60 found" and no way to the other 10 (a UX audit).
            if (_lastSearch is not { } last)
            {
                Fail("usage: /search TEXT; then /search alone shows the older matches");
                return;
            }

            (text, beforeId) = last;
        }
        else if (SearchHints.NothingToSearch(text))
        {
            // The server ignores such words and would answer "nothing found" beside messages holding them.
            Fail($"nothing to search for in \"{text}\": search finds words (letters and digits); emoji, symbols and punctuation are left out");
            return;
        }
        else if (SearchHints.ShortPrefixNote(text) is { } note)
        {
            output.Status(formatter.Status(note, StatusLevel.Info));
        }

        var page = await session.SearchAsync(text, beforeId, cancellationToken).ConfigureAwait(false);
        if (page.Messages.Count == 0)
        {
            _lastSearch = null;
            // Quoted already ("exact phrase"): not quoted twice, and told that quotes do not make a phrase (a client audit, F14).
            bool quoted = text.Length > 1 && text[0] == '"' && text[^1] == '"';
            string shown = quoted ? text : $"\"{text}\"";
            string hint = quoted ? " (quotes are not special: every word must match; for words next to each other join them with -, as exact-phrase)" : string.Empty;
            output.Status(formatter.Status(next ? $"no older matches for {shown}" : $"nothing found for {shown}{hint}", StatusLevel.Info));
            return;
        }

        // The server counts older matches only up to SearchCountCap (docs/PROTOCOL.md, Search): then it is "or more".
        string more = page.End.Remaining >= SearchCountCap ? "+" : string.Empty;
        string found = next
            ? $"search: {text}, older ({page.Messages.Count}{(page.End.Remaining > 0 ? $", {page.End.Remaining}{more} more before these" : string.Empty)})"
            : $"search: {text} ({page.Messages.Count}{(page.End.Remaining > 0 ? $" of {page.Messages.Count + page.End.Remaining}{more}" : string.Empty)} found)";
        output.Line(formatter.Marker(found));
        foreach (var message in page.Messages)
        {
            // Every hit names its room, the current one included: a search spans rooms.
            var (line, indent) = formatter.MessageLine(message, session.UserName, currentRoom: string.Empty);
            output.Line(line, indent);
        }

        _lastSearch = page.End.Remaining > 0 ? (text, page.Messages.Min(m => m.Id)) : null;
        output.Line(formatter.Marker(page.End.Remaining > 0 ? "end of this page; /search alone shows the older matches" : "end of search"));
    }

    private string TopicSuffix(string room) => Rooms.Topic(room) is { Length: > 0 } topic ? $". Topic: {topic}" : string.Empty;
}
