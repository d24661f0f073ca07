using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>Joining, leaving, listing and topics. Each command answers its session (an Error with the request's tag on refusal).</summary>
internal sealed partial class RoomRegistry
{
    /// <summary>How a refusal for the server's room limit ends: the IRC gateway answers it in words of its own.</summary>
    internal const string ServerRoomLimit = "(MaxRooms)";

    /// <summary>
    /// JoinRoom: creates the room if allowed, adds the user (or resyncs a member), and queues RoomInfo and the member
    /// list to <paramref name="session"/> with the request's tag. Live messages of the room are held for the session
    /// until the caller has queued the replay and called <see cref="IRoomSession.ReleaseRoom"/>.
    /// </summary>
    /// <returns>The room and the join mark for the replay; null after an Error was sent.</returns>
    public (Room Room, ulong JoinMark)? Join(IRoomSession session, string name, RoomRequestPacket request)
    {
        var settings = Settings;
        // The older rule lets members reach rooms made before the rule for new names; JoinLocked holds new rooms to it.
        if (!RoomNames.IsValidExisting(name, settings.MaxRoomNameLength, out string problem))
        {
            session.Send(ChatCommand.Error, name, Error(ErrorCode.InvalidRoomName, $"'{name}': {problem}", request.Tag));
            return null;
        }

        var view = new List<(IRoomSession To, byte[] Frame)>();
        (Room Room, ulong JoinMark)? joined;
        lock (_lock)
        {
            joined = JoinLocked(session, name, request, settings, view);
        }

        Write(view);
        return joined;
    }

    private (Room Room, ulong JoinMark)? JoinLocked(IRoomSession session, string name, RoomRequestPacket request, ServerSettings settings, List<(IRoomSession To, byte[] Frame)> view)
    {
        string user = session.UserName;
        bool created = false;
        bool exists = _rooms.TryGetValue(name, out var room);
        if ((request.Flags & RoomModes.Resync) != 0 && room?.Members.ContainsKey(user) != true)
        {
            // A resync joins no one: sent by a client for a room joined on another device, it arrived after the user had
            // left it on a third, joined the user again and undid the leave (CI, 2026-12-07).
            session.Send(ChatCommand.Error, name, exists
                ? Error(ErrorCode.NotInRoom, $"you are not in '{name}' any more; a resync joins no one", request.Tag)
                : Error(ErrorCode.NoSuchRoom, $"there is no room '{name}' any more; a resync creates none", request.Tag));
            return null;
        }

        if (room is null)
        {
            string? refusal = !settings.AllowRoomCreation ? $"there is no room '{name}', and this server does not let users create rooms"
                : _rooms.Count >= settings.MaxRooms ? $"the server has {_rooms.Count} rooms, the most it allows " + ServerRoomLimit
                : null;
            if (refusal is not null)
            {
                session.Send(ChatCommand.Error, name, Error(settings.AllowRoomCreation ? ErrorCode.TooManyRooms : ErrorCode.NoSuchRoom, refusal, request.Tag));
                return null;
            }

            if (!RoomNames.IsValid(name, settings.MaxRoomNameLength, out string problem))
            {
                session.Send(ChatCommand.Error, name, Error(ErrorCode.InvalidRoomName, $"'{name}': {problem}", request.Tag));
                return null;
            }

            // A room is a new room even under an old name: history at or below this id belongs to an earlier one
            // (deleted, or lost with Rooms.xml at a kill -9) and is never shown in it, whether or not its deletion has run.
            room = new Room(name, isDefault: false) { Modes = request.Flags & RoomModes.Settable, HistoryFrom = _lastMessageId() };
            created = true;
        }

        if (!room.Members.TryGetValue(user, out var membership))
        {
            string? refusal = null;
            var code = ErrorCode.None;
            // Its creator needs no invitation to a new invite-only room.
            if (!created && room.Modes.HasFlag(RoomModes.InviteOnly) && !room.Invited.Contains(user))
            {
                (code, refusal) = (ErrorCode.InviteOnly, $"'{room.Name}' is invite-only; ask a member for an invitation");
            }
            else if (!room.IsDefault && room.Members.Count >= settings.MaxRoomMembers)
            {
                (code, refusal) = (ErrorCode.RoomFull, $"'{room.Name}' has {room.Members.Count} members, the most a room may have (MaxRoomMembers)");
            }
            else if (RoomsOf(user).Count() is var count && count >= settings.MaxRoomsPerUser)
            {
                // The real count: a v2 login puts a user back in the default room even at the limit, so it can be one more.
                (code, refusal) = (ErrorCode.TooManyRooms, $"you are in {count} rooms, and the most one user may join is {settings.MaxRoomsPerUser} (MaxRoomsPerUser); leave one first");
            }

            if (refusal is not null)
            {
                session.Send(ChatCommand.Error, name, Error(code, refusal, request.Tag));
                return null;
            }

            if (created)
            {
                _rooms[room.Name] = room;
                room.Owners.Add(user);
                if (_roomsFile is not null)
                {
                    room.SaveGate = new RoomSaveGate(RequestSave);
                    _unsavedRooms.Add(room);
                }
                s_log.Info("{Session} created {Room} ({Modes})", session, room, room.Modes == RoomModes.None ? "open" : room.Modes);
            }

            if (room.IsDefault)
            {
                _leftDefault.Remove(user);
            }

            var gained = NewlyShared(room, user);
            membership = AddMember(room, user);
            SharingStarts(view, user, gained);
            // A room whose members all lack an account (Rooms.xml kept them) got no owner at start: the joiner is it.
            PromoteIfOwnerless(room, view);
            foreach (var other in OnlineSessionsOf(user))
            {
                if (other != session && GetsMessagesOf(other, room))
                {
                    // No replay goes to the user's other sessions: they get what follows the mark, and nothing a
                    // fan-out of an earlier membership still carries.
                    other.EnterRoom(room, membership.JoinMark);
                    if (other.Version >= 3)
                    {
                        SendRoomState(other, room, tag: 0);
                    }
                }
            }
        }
        else
        {
            // Joining a room you are in is a resync: a fresh mark, a fresh replay, for this session only (the user's
            // other sessions get no replay, so their marks stay as they were).
            membership.JoinMark = room.LastId;
            room.Recipients = null;
        }

        session.HoldRoom(room, membership.JoinMark);
        SendRoomState(session, room, request.Tag);
        return (room, membership.JoinMark);
    }

    /// <summary>
    /// A leave's reason is cut to this many UTF-8 bytes: the IRC gateway's KICKLEN, so a PART reason and a KICK
    /// reason have one limit, and a relayed PART line stays within 512 bytes.
    /// </summary>
    internal const int MaxPartReasonBytes = 390;

    /// <summary>LeaveRoom: every session of the user gets RoomLeft(Left, with the reason); the requester's carries the tag.</summary>
    public void LeaveRoom(IRoomSession session, string name, uint tag, string reason = "")
    {
        string user = session.UserName;
        reason = WireStrings.Fit(reason, MaxPartReasonBytes);
        IRoomSession[] sessions;
        string roomName;
        var view = new List<(IRoomSession To, byte[] Frame)>();
        lock (_lock)
        {
            if (MemberRoom(session, name, tag) is not { } room)
            {
                return;
            }

            if (room.IsDefault && HasV2Session(user))
            {
                session.Send(ChatCommand.Error, name, Error(ErrorCode.CannotLeaveDefault, V2HoldsDefault(user), tag));
                return;
            }

            roomName = room.Name;
            var members = room.Members.Keys.ToList();
            RemoveMember(room, user);
            if (reason.Length > 0)
            {
                room.PendingParts.Add(new RoomPart(user, reason));
            }

            PromoteIfOwnerless(room, view);
            if (view.Count > 0)
            {
                // The owner left and another member now owns the room: the members learn of the leave before the new
                // owner, as they would on IRC (PART, then MODE +o), rather than the RoomInfo now and the leave with
                // the next batch.
                AnnounceLeaveNow(room, user);
            }

            DeleteIfEmpty(room);
            sessions = OnlineSessionsOf(user);
            SharingEnds(user, NoLongerShared(members, user));

            // Queued under the lock, like a join's answer (see RoomStateOrder): a join or kick that follows must not
            // overtake this RoomLeft, nor a later succession this one's RoomInfo.
            Write(view);
            var others = FrameCodec.Serialize(ChatCommand.LeaveRoom, roomName, new RoomLeftPacket(0, RoomLeftReason.Left, user, reason));
            foreach (var s in sessions.Where(s => s.Version >= 3))
            {
                if (s == session)
                {
                    s.Send(ChatCommand.LeaveRoom, roomName, new RoomLeftPacket(tag, RoomLeftReason.Left, user, reason));
                }
                else
                {
                    s.Enqueue(others);
                }
            }
        }
    }

    /// <summary>
    /// Sends the MemberLeft of <paramref name="user"/> (with its reason, if any) to the members of
    /// <paramref name="room"/> now instead of with the next batch, which then leaves it out. Under the lock.
    /// </summary>
    private void AnnounceLeaveNow(Room room, string user)
    {
        var frames = new List<(IRoomSession To, byte[] Frame)>();
        AnnounceLeave(room, user, frames);
        Write(frames);
    }

    /// <summary>
    /// <see cref="AnnounceLeaveNow"/> for a caller that writes the frames in its own order: the reasons are handed to
    /// the members at once, the MemberLeft frames appended to <paramref name="frames"/>. Under the lock.
    /// </summary>
    private void AnnounceLeave(Room room, string user, List<(IRoomSession To, byte[] Frame)> frames)
    {
        var members = V3SessionsOf(room);
        int left = room.PendingLeft.FindLastIndex(u => UserNames.Comparer.Equals(u.Name, user));
        // With its departure (kicked, or the part's reason), taken before the kick and part records are handed on.
        var leftFrames = LeftParts(room, [room.PendingLeft[left]]);
        // A self-kick's KICK line first (IRC members), as the batch would have sent it before the MemberLeft.
        int kick = room.PendingKicks.FindLastIndex(k => UserNames.Comparer.Equals(k.Member, user));
        if (kick >= 0)
        {
            var pending = room.PendingKicks[kick];
            foreach (var member in members)
            {
                member.MemberKicked(room.Name, pending.Member, pending.By, pending.Reason);
            }

            room.PendingKicks.RemoveAt(kick);
        }

        int part = room.PendingParts.FindLastIndex(p => UserNames.Comparer.Equals(p.Member, user));
        if (part >= 0)
        {
            foreach (var member in members)
            {
                member.MemberParting(room.Name, user, room.PendingParts[part].Reason);
            }

            room.PendingParts.RemoveAt(part);
        }

        foreach (var frame in leftFrames)
        {
            foreach (var member in members)
            {
                frames.Add((member, frame));
            }
        }

        room.PendingLeft.RemoveAt(left);
        // The cached member list (MemberParts) is the membership as of the last batch: it may still name someone who
        // left since, because the batch's MemberLeft follows every list sent meanwhile and corrects it. This departure
        // no longer waits for the batch, so nothing would correct it: a resync or login in the same batch was sent
        // a list naming the leaver, for good (a race audit, 2026-12-06). Rebuilt from the members on the next use.
        room.MemberParts = null;
    }

    /// <summary>ListRooms: open rooms and the invite-only rooms the user is in or invited to, in parts.</summary>
    public void ListRooms(IRoomSession session)
    {
        string user = session.UserName;
        List<RoomSummary> rooms;
        lock (_lock)
        {
            rooms = _rooms.Values
                .Where(r => !r.Modes.HasFlag(RoomModes.InviteOnly) || r.Members.ContainsKey(user) || r.Invited.Contains(user))
                .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                .Select(r => new RoomSummary(r.Name, r.ModesFor(user), r.Members.Count, r.Topic))
                .ToList();
        }

        var part = new List<RoomSummary>();
        int bytes = 0;
        foreach (var room in rooms)
        {
            int size = 12 + Encoding.UTF8.GetByteCount(room.Name) + Encoding.UTF8.GetByteCount(room.Topic);
            if (bytes + size > ListPartBytes && part.Count > 0)
            {
                session.Send(ChatCommand.ListRooms, string.Empty, new RoomListPacket(part.ToArray(), More: true));
                part.Clear();
                bytes = 0;
            }

            part.Add(room);
            bytes += size;
        }

        session.Send(ChatCommand.ListRooms, string.Empty, new RoomListPacket(part.ToArray(), More: false));
    }

    /// <summary>SetTopic: owners only unless the room lets anyone; every member session gets Topic, the setter's with its tag.</summary>
    public void SetTopic(IRoomSession session, string name, string topic, uint tag)
    {
        topic = TopicText.Clean(topic);
        var settings = Settings;
        int bytes = Encoding.UTF8.GetByteCount(topic);
        if (bytes > settings.MaxTopicBytes)
        {
            session.Send(ChatCommand.Error, name, Error(ErrorCode.TopicTooLong, $"the topic is {bytes} bytes; the limit is {settings.MaxTopicBytes}", tag));
            return;
        }

        IRoomSession[] members;
        TopicPacket packet;
        string roomName;
        lock (_lock)
        {
            if (MemberRoom(session, name, tag) is not { } room)
            {
                return;
            }

            // The default room has no owner, so its topic is everyone's (as an IRC channel without +t); else nobody
            // could ever set it.
            if (!room.IsDefault && !room.Modes.HasFlag(RoomModes.TopicByAnyone) && !room.Owners.Contains(session.UserName))
            {
                session.Send(ChatCommand.Error, name, Error(ErrorCode.NotRoomOwner, $"only an owner of '{room.Name}' may set its topic", tag));
                return;
            }

            room.Topic = topic;
            room.TopicBy = session.UserName;
            room.TopicTimeMs = NowMs;
            roomName = room.Name;
            packet = new TopicPacket(0, topic, room.TopicBy, room.TopicTimeMs);
            members = V3SessionsOf(room);
            _roomsChanged.Add(room);

            // Under the lock (RoomStateOrder): two topics set at once reach every member in the order they were set.
            var shared = FrameCodec.Serialize(ChatCommand.SetTopic, roomName, packet);
            foreach (var member in members)
            {
                if (member == session)
                {
                    member.Send(ChatCommand.SetTopic, roomName, packet with { Tag = tag });
                }
                else
                {
                    member.Enqueue(shared);
                }
            }
        }
    }

    /// <summary>The room <paramref name="name"/> if it exists and the session's user is in it; else sends the Error and returns null. Under the lock.</summary>
    private Room? MemberRoom(IRoomSession session, string name, uint tag)
    {
        if (!_rooms.TryGetValue(name, out var room))
        {
            session.Send(ChatCommand.Error, name, Error(ErrorCode.NoSuchRoom, $"there is no room '{name}'", tag));
            return null;
        }

        if (!room.Members.ContainsKey(session.UserName))
        {
            session.Send(ChatCommand.Error, name, Error(ErrorCode.NotInRoom, $"you are not in '{room.Name}'", tag));
            return null;
        }

        return room;
    }

    /// <summary>
    /// Raised (maybe under the registry lock; keep it short) when the removal of a deleted room's history has been
    /// started: after the save that drops the room, and again for a removal taken up after a failure or at start.
    /// </summary>
    /// <remarks>The second argument bounds the removal: every message of a room created since under the name is above
    /// it (its HistoryFrom); long.MaxValue when there is none. The store takes what was committed when it runs.</remarks>
    public event Action<string, long>? RoomDeleted;

    /// <summary>
    /// The highest id a deleted room's history removal may take, asked when it is requested (after the save): none
    /// of a room created since under the name (its HistoryFrom and above), else no bound here. The store lowers it
    /// to the last id committed when the removal runs, so a message sent just before the deletion and stored after
    /// it goes too; with the id at the deletion it was left behind (fault injection, 2026-12-05).
    /// </summary>
    private long PurgeBound(string name)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(name, out var again) ? again.HistoryFrom : long.MaxValue;
        }
    }

    /// <summary>
    /// A room other than the default one goes away with its last member, freeing its place under MaxRooms. Under the
    /// lock. <paramref name="logged"/> false: the caller logs it (an owner's DeleteRoom empties the room too, and was
    /// logged as "its last member left" beside the line that names the owner; an outside scale audit).
    /// </summary>
    private void DeleteIfEmpty(Room room, bool logged = true)
    {
        if (!room.IsDefault && room.Members.Count == 0)
        {
            _rooms.Remove(room.Name);
            _roomsChanged.Add(room);
            // Its history goes once the file no longer lists the room: a kill -9 before that brings the room back
            // whole, not emptied (a room created later under the name hides what is left, see Room.HistoryFrom). The
            // same write lists it as deleted until every message of it is gone, so a removal cut short is finished (.Purges).
            NotePurge(room.Name);
            if (logged)
            {
                s_log.Info("{Room} deleted: its last member left", room);
            }
        }
    }
}
