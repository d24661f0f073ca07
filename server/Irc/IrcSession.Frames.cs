using System.Globalization;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

/// <summary>
/// Translates what the registry and router deliver (ChatSocket v3 frames) into IRC lines, and keeps this session's
/// view of its rooms (<see cref="IrcChannel"/>) for NAMES, WHO, TOPIC and MODE. Runs under the delivery lock.
/// </summary>
internal sealed partial class IrcSession
{
    // Requests in flight, by tag: an Error or Done names only the tag, IRC numerics name the target.
    private const int MaxPending = 256;

    private readonly Dictionary<string, IrcChannel> _channels = new(UserNames.Comparer);

    // The room of the last live message shown, known to have a channel: a fan-out of a busy room hands every member
    // one message after another, and each frame's room name is one string shared by all members, so comparing it with
    // this one replaces a dictionary lookup per delivery (its cold buckets, entries and key were 8 % of the server's
    // CPU on the IRC port in crowd; perf record, 2026-12-03). Cleared whenever a channel is added or removed.
    private string? _lastShownRoom;
    private readonly Dictionary<uint, (string Command, string Target, string Detail)> _pending = [];

    // Who is online, from the login list and UserConnected/UserDisconnected: room members stay members while
    // offline, but an IRC channel shows only those online (JOIN when they come, QUIT when they go).
    private readonly IrcNameSet _onlineUsers;

    // Why users shown here are going offline, from the presence batch just before its UserDisconnected (.UsersQuitting).
    private readonly Dictionary<string, string> _quitReasons = new(UserNames.Comparer);

    // The away texts of the users this session shares a room with, from the Away frames the registry sends it (after
    // the login's list, when a join first makes two users share a room, and on every change): IRCv3 away-notify wants an
    // AWAY line right after the JOIN of a user who is away, and the registry's own state is behind its lock, which is
    // taken before the delivery lock, never after it.
    private readonly Dictionary<string, string> _awayTexts = new(UserNames.Comparer);
    private uint _lastTag;

    // KICK lines this user's kicks got from the presence batch (room, member), so the kick's Done does not show the
    // line again; the oldest goes beyond MaxKicksShown (kicks from this user's other sessions are never Done here).
    // Guarded by _deliveryLock.
    private readonly List<(string Room, string Member)> _kicksShown = [];
    private const int MaxKicksShown = 16;

    /// <summary>A tag for a request whose answer must be mapped back to an IRC command and target.</summary>
    /// <param name="detail">What else the answer needs (a KICK's reason).</param>
    private uint Track(string command, string target, string detail = "")
    {
        lock (_deliveryLock)
        {
            uint tag = ++_lastTag == 0 ? ++_lastTag : _lastTag;
            if (_pending.Count >= MaxPending)
            {
                // Answers that never came (the router answers every request, so this is only a bound).
                _pending.Clear();
            }

            _pending[tag] = (command, target, detail);
            NoteEchoLabel(command, tag);
            return tag;
        }
    }

    private (string Command, string Target, string Detail)? Answered(uint tag) =>
        tag != 0 && _pending.Remove(tag, out var request) ? request : null;

    private bool IsMe(string name) => UserNames.Comparer.Equals(name, Nick);

    /// <param name="frame">The cached translation of the frame this came in, or null for a packet sent directly.</param>
    private void OnFrame(ChatCommand command, string target, IPacket packet, IrcFrameCache? frame)
    {
        if (Volatile.Read(ref s_labelScopes) != 0 && Answering && !AnswersOwnRequest(command, packet))
        {
            // Delivered on the read loop while a labeled command is handled, but not its answer (a presence batch or a
            // message flushed ahead of ours): it goes out in its place among the command's lines, unlabeled.
            OnFrameUnanswered(command, target, packet, frame);
            return;
        }

        OnFrameCore(command, target, packet, frame);
    }

    // The closures of the labeled paths live in methods of their own: a lambda capturing OnFrame's parameters made the
    // compiler allocate its closure on entry to every call, once per delivery to every IRC session (irc crowd: +30 %
    // CPU per delivery, measured against the session's start).
    private void OnFrameUnanswered(ChatCommand command, string target, IPacket packet, IrcFrameCache? frame) =>
        WithoutAnswering(() => OnFrameCore(command, target, packet, frame));

    /// <summary>
    /// Whether a frame answers a request of this session (labeled-response collects only those): what carries one of its
    /// tags, history (sent only in answer to a join or CHATHISTORY), its own message's echo, a join's member list, LIST's
    /// rooms, and its own away state.
    /// </summary>
    private bool AnswersOwnRequest(ChatCommand command, IPacket packet) => packet switch
    {
        ChatMessagePacket message => message.OriginSessionId == SessionId || (message.Flags & MessageMarks.History) != 0,
        ErrorPacket error => error.Tag != 0,
        RoomInfoPacket info => info.Tag != 0,
        RoomLeftPacket left => left.Tag != 0,
        TopicPacket topic => topic.Tag != 0,
        UserInfoPacket info => info.Tag != 0,
        DonePacket or HistoryEndPacket or RoomListPacket => true,
        UserListPacket => command == ChatCommand.JoinRoom,
        AwayPacket away => IsMe(away.UserName),
        _ => false,
    };

    /// <summary>Our own room message back: its echo, the answer to a labeled PRIVMSG when it was one.</summary>
    private void OnOwnRoomMessage(string room, ChatMessagePacket message, IrcFrameCache? frame) =>
        DeliverAnswer(message.Tag, () => OnRoomMessage(room, message, frame));

    /// <summary>Our own private message back: its echo (a labeled answer), and to our own nick also its delivery.</summary>
    private void OnOwnPrivateMessage(string recipient, ChatMessagePacket message, IrcFrameCache? frame)
    {
        DeliverAnswer(message.Tag, () => OnPrivateMessage(recipient, message, frame));
        if (IsMe(recipient) && (message.Flags & (MessageMarks.Mirror | MessageMarks.History)) == 0)
        {
            // A message to oneself is also delivered to oneself, as to any recipient: once without echo-message,
            // after its echo with it (irctest chathistory testMessagesToSelf). Not part of a labeled answer.
            string shown = message.Kind == ChatMessageKind.Notice ? "NOTICE" : "PRIVMSG";
            WithoutAnswering(() =>
            {
                if (frame is not null)
                {
                    DeliverCached(frame, shown, Nick);
                }
                else
                {
                    DeliverMessage(message.From, shown, Nick, ActionText(message, out bool action), action, message.ServerTimeMs, message.MessageId);
                }
            });
        }
    }

    private void OnErrorAnswer(string target, ErrorPacket error) => DeliverAnswer(error.Tag, () => OnError(target, error));

    /// <summary>Done: for INVITE (341) and a withdrawn invitation (NOTICE), the labeled command's answer (AnsweredLater).</summary>
    private void OnDoneAnswer(DonePacket done) => DeliverAnswer(done.Tag, () => OnDone(done));

    private void OnFrameCore(ChatCommand command, string target, IPacket packet, IrcFrameCache? frame)
    {
        switch (command, packet)
        {
            case (ChatCommand.PublicMessage, ChatMessagePacket message) when message.OriginSessionId == SessionId:
                OnOwnRoomMessage(target, message, frame);
                break;
            case (ChatCommand.PublicMessage, ChatMessagePacket message):
                OnRoomMessage(target, message, frame);
                break;
            case (ChatCommand.PrivateMessage, ChatMessagePacket message) when message.OriginSessionId == SessionId:
                OnOwnPrivateMessage(target, message, frame);
                break;
            case (ChatCommand.PrivateMessage, ChatMessagePacket message):
                OnPrivateMessage(target, message, frame);
                break;
            case (ChatCommand.JoinRoom, RoomInfoPacket info):
                OnRoomInfo(target, info, joined: true);
                break;
            case (ChatCommand.SetRoomMode, RoomInfoPacket info):
                OnRoomInfo(target, info, joined: false);
                break;
            case (ChatCommand.JoinRoom, UserListPacket members):
                OnMemberList(target, members);
                break;
            case (ChatCommand.MemberJoined, UserListPacket joined):
                OnMembers(target, joined, join: true);
                break;
            case (ChatCommand.MemberLeft, UserListPacket left):
                OnMembers(target, left, join: false);
                break;
            case (ChatCommand.LeaveRoom, RoomLeftPacket left):
                OnRoomLeft(target, left);
                break;
            case (ChatCommand.SetTopic, TopicPacket topic):
                OnTopicChanged(target, topic);
                break;
            case (ChatCommand.Invite, RoomRequestPacket { Name.Length: 0 }):
                // An invitation made while this user was offline, told at the login without its inviter (not kept):
                // INVITE needs a user as its source, so a server notice says it.
                SendRaw(ServerPrefix, "NOTICE", Nick, $"You are invited to #{target}: /join #{target}");
                break;
            case (ChatCommand.Invite, RoomRequestPacket invitation):
                SendEvent(UserPrefix(invitation.Name), "INVITE", Nick, "#" + target);
                break;
            case (ChatCommand.SetAway, AwayPacket away):
                OnAwayFrame(target, away);
                break;
            case (ChatCommand.WhoIs, UserInfoPacket info):
                OnUserInfo(info);
                break;
            case (ChatCommand.ListRooms, RoomListPacket list):
                OnRoomList(list);
                break;
            case (ChatCommand.Done, DonePacket done):
                OnDoneAnswer(done);
                break;
            case (ChatCommand.Error, ErrorPacket error):
                OnErrorAnswer(target, error);
                break;
            case (ChatCommand.RequestUsers, UserListPacket online):
                _onlineUsers.UnionWith(online.Users.Select(u => u.Name));
                break;
            case (ChatCommand.UserConnected, UserListPacket connected):
                OnOnline(connected, online: true);
                break;
            case (ChatCommand.UserDisconnected, UserListPacket disconnected):
                OnOnline(disconnected, online: false);
                break;
            case (ChatCommand.ServerNotice, NoticePacket notice):
                SendRaw(ServerPrefix, "NOTICE", Nick, notice.Text);
                break;
            case (ChatCommand.Receipt, ReceiptPacket receipt):
                SendRaw(ServerPrefix, "NOTICE", Nick, $"{receipt.Recipient} has received your stored message (msgid {receipt.MessageId})");
                break;
            case (ChatCommand.ServerDisconnected, ErrorPacket error):
                Quit(error.Text);
                break;
            default:
                // Welcome, the online lists (IRC shows presence per channel), HistoryEnd: nothing to say.
                break;
        }
    }

    /// <summary>
    /// The presence batch's quit reasons, kept for the users this session shows (its UserDisconnected follows at once);
    /// the rest never get a QUIT line here, so keeping theirs would only leak.
    /// </summary>
    public void UsersQuitting(IReadOnlyDictionary<string, string> reasons)
    {
        lock (_deliveryLock)
        {
            foreach (var (name, reason) in reasons)
            {
                if (_onlineUsers.Contains(name))
                {
                    _quitReasons[name] = reason;
                }
            }
        }
    }

    /// <summary>True when <paramref name="member"/> shows in a channel: online, or this session's own user.</summary>
    private bool Visible(string member) => IsMe(member) || _onlineUsers.Contains(member);

    private void OnOnline(UserListPacket users, bool online)
    {
        foreach (var user in users.Users)
        {
            if (IsMe(user.Name) || (online ? !_onlineUsers.Add(user.Name) : !_onlineUsers.Remove(user.Name)))
            {
                continue;
            }

            var shared = _channels.Values.Where(c => c.Members.Contains(user.Name)).ToArray();
            if (online)
            {
                _quitReasons.Remove(user.Name);
                foreach (var channel in shared)
                {
                    SendJoinOf(channel, user.Name);
                }
            }
            else
            {
                // Away ends with the user's last session.
                _awayTexts.Remove(user.Name);
                // A ChatSocket session's Logout carries no reason, so its QUIT says only that the user went.
                string reason = _quitReasons.Remove(user.Name, out var given) ? given : "Disconnected";
                if (shared.Length > 0)
                {
                    SendEvent(UserPrefix(user.Name), "QUIT", reason);
                }
            }
        }
    }

    private static string UserPrefix(string name) => $"{name}!{name}@{UserHost}";

    private void OnRoomMessage(string room, ChatMessagePacket message, IrcFrameCache? frame)
    {
        if ((message.Flags & MessageMarks.History) != 0)
        {
            OnReplayedMessage(room, message);
            return;
        }

        // DeliverRoomFrame already dropped late deliveries from an earlier membership (judged against the join mark);
        // a message of a room with no channel is one the client was never told it is in. Except its own message's
        // echo: the router sends it even when this session left the room (or was kicked, or saw it deleted) before
        // the commit, since the echo is the acknowledgement; dropping it here left an echo-message client waiting
        // for it for good (an IRC audit, 2026-12-05).
        if (ShownCommand(message, out _) is not { } command || (!HasChannel(room) && message.OriginSessionId != SessionId))
        {
            return;
        }

        if (frame is not null)
        {
            DeliverCached(frame, command, frame.Channel);
        }
        else
        {
            DeliverMessage(message.From, command, "#" + room, ActionText(message, out bool action), action, message.ServerTimeMs, message.MessageId);
        }
    }

    private bool HasChannel(string room)
    {
        if (_lastShownRoom is { } last && (ReferenceEquals(last, room) || string.Equals(last, room, StringComparison.Ordinal)))
        {
            return true;
        }

        if (!_channels.ContainsKey(room))
        {
            return false;
        }

        _lastShownRoom = room;
        return true;
    }

    private void OnPrivateMessage(string recipient, ChatMessagePacket message, IrcFrameCache? frame)
    {
        if ((message.Flags & MessageMarks.History) != 0)
        {
            OnPrivateHistory(recipient, message);
            return;
        }

        if (ShownCommand(message, out string? requested) is { } command)
        {
            // From us (an echo, or a mirror of another of our sessions): addressed to the recipient, as bouncers show it.
            string to = IsMe(message.From) ? recipient : Nick;
            if (frame is not null && !NeedsSentTime(message))
            {
                DeliverCached(frame, command, to);
            }
            else
            {
                DeliverMessage(message.From, command, to, StoredText(message, out bool action), action, message.ServerTimeMs, message.MessageId);
            }
        }

        if (IsMe(message.From) && (message.Flags & (MessageMarks.Stored | MessageMarks.Mirror)) == MessageMarks.Stored && requested != "NOTICE")
        {
            // The acknowledgement of a message to an account with no session: IRC has no "stored" reply, and without
            // a word the sender would take it for delivered (or, without echo-message, hear nothing at all). After the
            // echo, so the client shows its message before what became of it. Never for a NOTICE: nothing answers a
            // NOTICE automatically (RFC 2812 3.3.2), so bots that talk in NOTICEs cannot loop on it.
            SendRaw(ServerPrefix, "NOTICE", Nick, $"{recipient} is offline: your message is stored and will be delivered when they next log in");
        }
    }

    /// <summary>
    /// The IRC command a relayed message is shown as (NOTICE for a message of Kind Notice, else PRIVMSG), or null when
    /// it is not shown: history outside a join's replay (.Replay shows that), and our own message back (the router's
    /// acknowledgement) to a client without echo-message. <paramref name="requested"/>: the command of our own line
    /// this answers, when it answers one.
    /// </summary>
    private string? ShownCommand(ChatMessagePacket message, out string? requested)
    {
        requested = null;
        if ((message.Flags & MessageMarks.History) != 0)
        {
            return null;
        }

        // A notice stays a NOTICE for everyone (live, echoed, mirrored, stored, replayed): IRC clients and bots never
        // answer one automatically, and shown as PRIVMSG two bots could set each other off (RFC 2812 3.3.2).
        string command = message.Kind == ChatMessageKind.Notice ? "NOTICE" : "PRIVMSG";
        if (message.OriginSessionId != SessionId)
        {
            return command;
        }

        // Answered also retires the request, so it is consulted even when the echo is not shown.
        requested = Answered(message.Tag)?.Command;
        return Caps.HasFlag(IrcCaps.EchoMessage) ? command : null;
    }

    /// <summary>
    /// The text as <see cref="DeliverMessage"/> takes it, and whether it is an action (a CTCP ACTION on IRC): Kind
    /// Action, or a Kind Text starting "/me " (how a v2 client, which has no Kind, sends one; the "/me " is dropped).
    /// That v2 rule is not for an IRC session's text (its session id is above <see cref="SessionIdBase"/>): "/me is
    /// the literal text" sent as a PRIVMSG came back as an action, to its recipients and in its own echo (an IRC audit,
    /// 2026-12-07); an IRC client sends an action as CTCP ACTION. A stored message keeps no session id, so history
    /// still applies the rule (docs/PROTOCOL.md).
    /// </summary>
    internal static string ActionText(ChatMessagePacket message, out bool action)
    {
        if (message.Kind == ChatMessageKind.Action)
        {
            action = true;
            return message.Text;
        }

        action = message.Kind == ChatMessageKind.Text && message.OriginSessionId < SessionIdBase && message.Text.StartsWith("/me ", StringComparison.Ordinal);
        return action ? message.Text[4..] : message.Text;
    }

    private void OnAwayFrame(string target, AwayPacket away)
    {
        if (IsMe(away.UserName))
        {
            if (away.Text.Length == 0)
            {
                Numeric(IrcNumeric.UnAway, "You are no longer marked as being away");
            }
            else
            {
                Numeric(IrcNumeric.NowAway, "You have been marked as being away");
            }
        }
        else if (target.Length > 0)
        {
            // The router's answer to our private message: the recipient is away.
            Numeric(IrcNumeric.Away, away.UserName, away.Text);
        }
        else
        {
            if (away.Text.Length == 0)
            {
                _awayTexts.Remove(away.UserName);
            }
            else
            {
                _awayTexts[away.UserName] = away.Text;
            }

            // Only for a user a channel here shows: the status of someone whose join made us share a room comes before
            // that JOIN (presence is batched), which is followed by the AWAY anyway (SendJoinOf). It came first, for a
            // nick in none of our channels, and then again (an audit, 2026-12-06).
            if (Visible(away.UserName) && _channels.Values.Any(c => c.Members.Contains(away.UserName)))
            {
                DeliverAway(away.UserName, away.Text.Length == 0 ? null : away.Text);
            }
        }
    }

    private void OnUserInfo(UserInfoPacket info)
    {
        Answered(info.Tag);
        if (info.Sessions.Count == 0)
        {
            Numeric(IrcNumeric.NoSuchNick, info.UserName, "No such nick (not online)");
            Numeric(IrcNumeric.EndOfWhoIs, info.UserName, "End of /WHOIS list");
            return;
        }

        string name = info.UserName;
        var irc = _server.FindIrcSession(name);
        Numeric(IrcNumeric.WhoIsUser, name, irc?.UserField ?? name, UserHost, "*", irc?.RealName is { Length: > 0 } real ? real : name);
        var shared = _channels.Values.Where(c => c.Members.Contains(name)).Select(c => c.Decorated(name).Replace(name, "", StringComparison.Ordinal) + c.Name).ToArray();
        // Several 319 lines, as NAMES splits 353: one line for 45 channels was 1,640 bytes, and strict clients drop or
        // cut what passes 512 (RFC 2812 2.3).
        foreach (string line in IrcListLines.Pack(shared, ' ', NumericRoom(IrcNumeric.WhoIsChannels, name)))
        {
            Numeric(IrcNumeric.WhoIsChannels, name, line);
        }

        Numeric(IrcNumeric.WhoIsServer, name, ServerPrefix, _server.Settings.ServerName);
        if (info.Away.Length > 0)
        {
            Numeric(IrcNumeric.Away, name, info.Away);
        }

        if (!(irc?.IsGuest ?? false))
        {
            Numeric(IrcNumeric.WhoIsAccount, name, name, "is logged in as");
        }

        Numeric(IrcNumeric.EndOfWhoIs, name, "End of /WHOIS list");
    }

    private void OnRoomList(RoomListPacket list)
    {
        foreach (var room in list.Rooms.Where(r => _listFilter is null || _listFilter.Contains(r.Name)))
        {
            // All members, online or not (RoomList's MemberCount); NAMES shows only those online.
            Numeric(IrcNumeric.List, "#" + room.Name, room.MemberCount.ToString(CultureInfo.InvariantCulture), room.Topic);
        }

        if (!list.More)
        {
            Numeric(IrcNumeric.ListEnd, "End of /LIST");
        }
    }
}
