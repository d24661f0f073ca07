using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>
/// Protocol v3 (docs/design/protocol-v3.md): rooms, away, WhoIs. Needs <see cref="ChatClientOptions.Version"/> 3.
/// Each request carries a tag; the answer with that tag (or an Error with it) completes the call.
/// </summary>
public sealed partial class ChatClient
{
    private readonly Dictionary<uint, PendingRequest> _pendingRequests = new();
    private readonly Dictionary<string, RoomState> _rooms = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<OnlineUser>> _memberParts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<RoomSummary> _roomListParts = new();

    /// <summary>A room's state arrived: at login, or after a join (from any of the user's sessions).</summary>
    public event Action<ChatClient, RoomState>? RoomJoined;

    /// <summary>
    /// A room the user is in changed its modes or owners (an owner's SetRoomMode, from any session, or a succession).
    /// Not a join: a client that resynchronises rooms on <see cref="RoomJoined"/> must not do so here.
    /// </summary>
    public event Action<ChatClient, RoomState>? RoomChanged;

    /// <summary>The user left a room, was kicked, or it was deleted (target room, reason).</summary>
    public event Action<ChatClient, string, RoomLeftPacket>? RoomLeft;

    /// <summary>
    /// Members joined (true) or left (false) a room the user is in. A join names only users who were not in the room's
    /// member list as this client held it, so a MemberJoined repeating the list raises nothing. A leave comes with why
    /// each left (kicked and by whom, or the part's reason), one per user in order; null for joins and from a server
    /// that sends no departures.
    /// </summary>
    public event Action<ChatClient, string, IReadOnlyList<OnlineUser>, bool, IReadOnlyList<MemberDeparture>?>? MembersChanged;

    public event Action<ChatClient, string, TopicPacket>? TopicChanged;

    /// <summary>An invitation to a room (Name = the inviter, Text = their note).</summary>
    public event Action<ChatClient, string, RoomRequestPacket>? Invited;

    /// <summary>A user's away status changed; the bool is true when it answers a private message this session sent (IRC's 301).</summary>
    public event Action<ChatClient, AwayPacket, bool>? AwayReceived;

    /// <summary>A stored private message reached its recipient.</summary>
    public event Action<ChatClient, ReceiptPacket>? ReceiptReceived;

    /// <summary>A join's replay, or a History/Search answer, ended (target, end).</summary>
    public event Action<ChatClient, string, HistoryEndPacket>? HistoryEnded;

    /// <summary>The session id from Welcome; a message whose OriginSessionId equals it was sent by this client.</summary>
    public ulong SessionId => _welcome?.SessionId ?? 0;

    /// <summary>The rooms this user is in, as of the last RoomInfo / RoomLeft.</summary>
    public IReadOnlyList<RoomState> Rooms
    {
        get
        {
            lock (_pendingLock)
            {
                return _rooms.Values.ToArray();
            }
        }
    }

    /// <summary>Joins (or creates, with <paramref name="createModes"/>) a room; completes after its replay ends. Rejoining resyncs.</summary>
    public async Task<RoomState> JoinRoomAsync(string room, RoomModes createModes = RoomModes.None, ulong sinceId = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return (await JoinRoomWithReplayAsync(room, createModes, sinceId, cancellationToken).ConfigureAwait(false)).Room;
    }

    /// <summary>
    /// <see cref="JoinRoomAsync"/> that also returns the replay's HistoryEnd: after a catch-up (<paramref name="sinceId"/>
    /// &gt; 0) its Remaining counts the missed messages newer than the replay, which the caller fetches with History.
    /// </summary>
    public async Task<RoomJoin> JoinRoomWithReplayAsync(string room, RoomModes createModes = RoomModes.None, ulong sinceId = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        var end = (HistoryEndPacket)await RequestAsync(ChatCommand.JoinRoom, room, tag => new RoomRequestPacket(tag, createModes, sinceId), ChatCommand.JoinRoom, PacketType.HistoryEnd, cancellationToken).ConfigureAwait(false);
        return Joined(room, end);
    }

    /// <summary>
    /// Catches up on a room the session was in (a reconnect): every message after <paramref name="sinceId"/>, oldest
    /// first, at most MaxReplay, with the rest counted in HistoryEnd.Remaining. <paramref name="sinceId"/> 0 is a session
    /// that saw the room empty at its last join (the CatchUp bit), not a fresh join's recent history.
    /// <paramref name="createModes"/> apply if the room is gone and this join creates it again. A v3 login puts the
    /// session back in its rooms, so live messages can arrive before the catch-up: take <paramref name="sinceId"/>
    /// from before the login, and rely on this client not to raise twice an id it already raised in the room.
    /// </summary>
    public async Task<RoomJoin> CatchUpRoomAsync(string room, ulong sinceId, RoomModes createModes = RoomModes.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        var end = (HistoryEndPacket)await RequestAsync(ChatCommand.JoinRoom, room, tag => new RoomRequestPacket(tag, createModes | RoomModes.CatchUp, sinceId), ChatCommand.JoinRoom, PacketType.HistoryEnd, cancellationToken).ConfigureAwait(false);
        return Joined(room, end);
    }

    private RoomJoin Joined(string room, HistoryEndPacket end)
    {
        lock (_pendingLock)
        {
            // Between the replay's end and this continuation a RoomLeft can have removed the room (a part, a kick or a
            // deletion from another session): that is a refusal, not a KeyNotFoundException escaping a caller's catch
            // of ChatClientException (it went unobserved in the console client's background rejoin).
            return _rooms.TryGetValue(room, out var state)
                ? new RoomJoin(state, end)
                : throw new ChatClientException(ChatFailure.Rejected, $"'{room}' was left again before its join completed", ErrorCode.NotInRoom);
        }
    }

    public Task<RoomLeftPacket> LeaveRoomAsync(string room, CancellationToken cancellationToken = default) => LeaveRoomAsync(room, string.Empty, cancellationToken);

    /// <summary>Leaves <paramref name="room"/>; <paramref name="reason"/> (may be empty) goes to this user's other sessions and to IRC members.</summary>
    public async Task<RoomLeftPacket> LeaveRoomAsync(string room, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(reason);
        return (RoomLeftPacket)await RequestAsync(ChatCommand.LeaveRoom, room, tag => new RoomRequestPacket(tag, Text: reason), ChatCommand.LeaveRoom, PacketType.RoomLeft, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a message to a room (empty = the default room) and waits for its echo.</summary>
    public Task<ChatMessage> SendRoomAsync(string room, string text, ChatMessageKind kind = ChatMessageKind.Text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(text);
        return SendConfirmedAsync(ChatCommand.PublicMessage, room, text, cancellationToken, kind);
    }

    /// <summary>Open rooms and the user's invite-only rooms.</summary>
    public async Task<IReadOnlyList<RoomSummary>> ListRoomsAsync(CancellationToken cancellationToken = default)
    {
        // RoomList carries no tag: one ListRooms is in flight at a time (PROTOCOL.md), and a second call waits for the
        // first one's answer, also when the first caller gave up on it (ChatClient.Draining.cs).
        var list = await RequestAsync(ChatCommand.ListRooms, string.Empty, tag => new RoomRequestPacket(tag), ChatCommand.ListRooms, PacketType.RoomList, cancellationToken, byTag: false).ConfigureAwait(false);
        return ((RoomListPacket)list).Rooms;
    }

    public async Task<TopicPacket> SetTopicAsync(string room, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(topic);
        return (TopicPacket)await RequestAsync(ChatCommand.SetTopic, room, tag => new RoomRequestPacket(tag, Text: topic), ChatCommand.SetTopic, PacketType.Topic, cancellationToken).ConfigureAwait(false);
    }

    public Task InviteAsync(string room, string user, string note = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(note);
        return RequestAsync(ChatCommand.Invite, room, tag => new RoomRequestPacket(tag, Name: user, Text: note), ChatCommand.Done, PacketType.Done, cancellationToken);
    }

    public Task KickAsync(string room, string user, string reason = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(reason);
        return RequestAsync(ChatCommand.Kick, room, tag => new RoomRequestPacket(tag, Name: user, Text: reason), ChatCommand.Done, PacketType.Done, cancellationToken);
    }

    public Task DeleteRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return RequestAsync(ChatCommand.DeleteRoom, room, tag => new RoomRequestPacket(tag), ChatCommand.Done, PacketType.Done, cancellationToken);
    }

    public async Task<RoomInfoPacket> SetRoomModeAsync(string room, RoomModes modes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return (RoomInfoPacket)await RequestAsync(ChatCommand.SetRoomMode, room, tag => new RoomRequestPacket(tag, modes), ChatCommand.SetRoomMode, PacketType.RoomInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the away text (empty = back). Completes with the server's Away for this user that answers it: the last one
    /// before the answer to a WhoIs of the user sent right after it (ChatClient.AwayAnswer.cs), so not a stale one that
    /// follows a user list. Calls of this client go one at a time. The Away can be another session's, set at the same
    /// moment (PROTOCOL.md, Negotiation): whichever arrives last is the user's away state, so show the latest Away, not
    /// the text asked for.
    /// </summary>
    public async Task<AwayPacket> SetAwayAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return (AwayPacket)await RequestAsync(ChatCommand.SetAway, string.Empty, tag => new RoomRequestPacket(tag, Text: text), ChatCommand.SetAway, PacketType.Away, cancellationToken, byTag: false).ConfigureAwait(false);
    }

    public async Task<UserInfoPacket> WhoIsAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return (UserInfoPacket)await RequestAsync(ChatCommand.WhoIs, string.Empty, tag => new RoomRequestPacket(tag, Name: user), ChatCommand.WhoIs, PacketType.UserInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a tagged request and waits for the answer <paramref name="answer"/>/<paramref name="type"/> with its tag,
    /// or (<paramref name="byTag"/> false, for answers that carry no tag) the next such answer. <paramref name="settled"/>
    /// runs once the request is over for the connection: at once when it was never sent, else when its answer (or an
    /// Error, or the connection's end) has arrived, which for a request answered by order may be after its caller gave up.
    /// </summary>
    private async Task<IPacket> RequestAsync(ChatCommand command, string target, Func<uint, IPacket> build, ChatCommand answer, PacketType type, CancellationToken cancellationToken, bool byTag = true, Action? settled = null)
    {
        try
        {
            if (_options.Version < 3)
            {
                throw new InvalidOperationException($"{command} needs protocol version 3; set ChatClientOptions.Version = 3");
            }

            if (command == ChatCommand.JoinRoom)
            {
                await EnterJoinAsync(cancellationToken).ConfigureAwait(false);
                var page = settled;
                settled = () =>
                {
                    LeaveJoin();
                    page?.Invoke();
                };
            }
        }
        catch
        {
            settled?.Invoke();
            throw;
        }

        // A join's replay and a page's messages carry Tag 0, and the answers of ListRooms and SetAway no tag at all:
        // these stay in flight until answered (ChatClient.Draining.cs).
        bool drains = settled is not null || !byTag;
        var pending = new PendingRequest(answer, type);
        bool sent = false;
        try
        {
            uint tag = await RegisterAsync(command, answer, pending, byTag, cancellationToken).ConfigureAwait(false);
            try
            {
                if (command == ChatCommand.SetAway)
                {
                    lock (_pendingLock)
                    {
                        ExpectAwayAnswer();
                    }
                }

                SendFrame(Encode(command, target, build(tag)));
                sent = true;
                if (command == ChatCommand.SetAway)
                {
                    SendAwayBarrier();
                }

                return await AwaitReply(pending.Completion.Task, command.ToString(), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_pendingLock)
                {
                    if (!sent || !drains || pending.Completion.Task.IsCompleted)
                    {
                        _pendingRequests.Remove(tag);
                        if (!byTag && _untagged.TryGetValue(answer, out var current) && current.Request == pending)
                        {
                            _untagged.Remove(answer);
                        }
                    }
                }
            }
        }
        finally
        {
            if (sent && drains && !pending.Completion.Task.IsCompleted)
            {
                _ = Settled(pending, settled);
            }
            else
            {
                settled?.Invoke();
            }
        }
    }

    /// <summary>Gives the request a tag and registers it; for an answer without a tag, once the one before is answered.</summary>
    private async Task<uint> RegisterAsync(ChatCommand command, ChatCommand answer, PendingRequest pending, bool byTag, CancellationToken cancellationToken)
    {
        while (true)
        {
            PendingRequest? earlier;
            lock (_pendingLock)
            {
                ThrowIfEnded();
                earlier = byTag ? null : UntaggedInFlight(answer);
                if (earlier is null)
                {
                    uint tag;
                    do
                    {
                        tag = ConfirmedTagBit | ((uint)Interlocked.Increment(ref _nextTag) & ~ConfirmedTagBit);
                    }
                    while (_pendingRequests.ContainsKey(tag) || _pendingSends.ContainsKey(tag));

                    // An Error finds the request by its tag; an answer that carries no tag finds it as its kind's one in flight.
                    _pendingRequests[tag] = pending;
                    if (!byTag)
                    {
                        _untagged[answer] = (tag, pending);
                    }

                    return tag;
                }
            }

            await WaitForEarlierAsync(Settled(earlier), $"an earlier {command}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes the request waiting for this answer, if any. Under the pending lock.</summary>
    private void Answer(ChatCommand command, uint key, IPacket packet)
    {
        if (_pendingRequests.TryGetValue(key, out var pending) && pending.Command == command && pending.Answer == packet.Type)
        {
            _pendingRequests.Remove(key);
            pending.Completion.TrySetResult(packet);
        }
    }

    private void OnRoomFrame(RawFrame frame)
    {
        var packet = frame.ReadPacket(Connection.Options.Limits);
        string target = frame.TargetName;
        switch (packet)
        {
            case RoomInfoPacket info:
                OnRoomInfo(frame.Command, target, info);
                break;
            case UserListPacket list when frame.Command == ChatCommand.JoinRoom:
                OnMemberPart(target, list);
                break;
            case UserListPacket list:
                OnMembersChanged(target, list, joined: frame.Command == ChatCommand.MemberJoined);
                break;
            case HistoryEndPacket end:
                lock (_pendingLock)
                {
                    Answer(frame.Command, end.Tag, end);
                }

                Raise(HistoryEnded, target, end);
                break;
            case RoomLeftPacket left:
                lock (_pendingLock)
                {
                    _rooms.Remove(target);
                    Answer(ChatCommand.LeaveRoom, left.Tag, left);
                    ForgetRaised(target);
                }

                Raise(RoomLeft, target, left);
                break;
            case TopicPacket topic:
                lock (_pendingLock)
                {
                    if (_rooms.TryGetValue(target, out var room))
                    {
                        _rooms[target] = room with { Info = room.Info with { Topic = topic.Text, TopicBy = topic.SetBy, TopicTimeMs = topic.TimeMs } };
                    }

                    Answer(ChatCommand.SetTopic, topic.Tag, topic);
                }

                Raise(TopicChanged, target, topic);
                break;
            case RoomListPacket list:
                OnRoomList(list);
                break;
            case AwayPacket away:
                lock (_pendingLock)
                {
                    if (target.Length == 0 && string.Equals(away.UserName, UserName, StringComparison.OrdinalIgnoreCase))
                    {
                        OwnAway(away);
                    }
                }

                Raise(AwayReceived, away, target.Length > 0);
                break;
            case UserInfoPacket info:
                lock (_pendingLock)
                {
                    if (!AwayBarrierPassed(info.Tag))
                    {
                        Answer(ChatCommand.WhoIs, info.Tag, info);
                    }
                }

                break;
            case DonePacket done:
                lock (_pendingLock)
                {
                    Answer(ChatCommand.Done, done.Tag, done);
                }

                break;
            case RoomRequestPacket invitation:
                Raise(Invited, target, invitation);
                break;
            case ReceiptPacket receipt:
                Raise(ReceiptReceived, receipt);
                break;
        }
    }

    private void OnRoomInfo(ChatCommand command, string room, RoomInfoPacket info)
    {
        RoomState? changed = null;
        lock (_pendingLock)
        {
            if (command == ChatCommand.SetRoomMode)
            {
                if (_rooms.TryGetValue(room, out var known))
                {
                    changed = _rooms[room] = known with { Info = info };
                }

                Answer(ChatCommand.SetRoomMode, info.Tag, info);
            }
            else
            {
                // A join's member list follows in parts; the state is complete with its last part.
                _rooms[room] = new RoomState(room, info, _rooms.TryGetValue(room, out var old) ? old.Members : []);
                _memberParts[room] = [];
            }
        }

        if (changed is not null)
        {
            Raise(RoomChanged, changed);
        }
    }

    private void OnMemberPart(string room, UserListPacket part)
    {
        RoomState? complete = null;
        lock (_pendingLock)
        {
            if (!_memberParts.TryGetValue(room, out var parts))
            {
                return;
            }

            parts.AddRange(part.Users);
            if (part.More)
            {
                return;
            }

            _memberParts.Remove(room);
            if (_rooms.TryGetValue(room, out var state))
            {
                complete = _rooms[room] = state with { Members = parts.DistinctBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToArray() };
            }
        }

        if (complete is not null)
        {
            Raise(RoomJoined, complete);
        }
    }

    private void OnMembersChanged(string room, UserListPacket list, bool joined)
    {
        IReadOnlyList<OnlineUser> changed = list.Users;
        lock (_pendingLock)
        {
            if (_rooms.TryGetValue(room, out var state))
            {
                bool Listed(OnlineUser user) => state.Members.Any(m => string.Equals(m.Name, user.Name, StringComparison.OrdinalIgnoreCase));

                // A MemberJoined may name a user already in the member list this session received (docs/PROTOCOL.md:
                // the batch can follow the list, and names the joining session itself too). The state takes it as an
                // idempotent update, and listeners hear only of users who were not listed, so a client does not show
                // "bob joined" for someone it listed a moment ago. A MemberLeft is passed on whole: a join and a leave
                // within one batch reach members as the leave alone, and they should still hear of it.
                if (joined)
                {
                    changed = list.Users.Where(u => !Listed(u)).ToList();
                }
                var members = state.Members.Where(m => !list.Users.Any(u => string.Equals(u.Name, m.Name, StringComparison.OrdinalIgnoreCase))).ToList();
                if (joined)
                {
                    members.AddRange(list.Users);
                }

                _rooms[room] = state with { Members = members, Info = state.Info with { MemberCount = members.Count } };
            }
        }

        if (changed.Count > 0)
        {
            Raise(MembersChanged, room, changed, joined, joined ? null : list.Departures);
        }
    }

    private void OnRoomList(RoomListPacket part)
    {
        lock (_pendingLock)
        {
            _roomListParts.AddRange(part.Rooms);
            if (part.More)
            {
                return;
            }

            var complete = new RoomListPacket(_roomListParts.ToArray());
            _roomListParts.Clear();
            AnswerUntagged(ChatCommand.ListRooms, complete);
        }
    }
}
