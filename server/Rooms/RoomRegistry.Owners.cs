using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Rooms;

/// <summary>Invite, kick, delete and room modes: what an owner may do (invite also members of open rooms).</summary>
internal sealed partial class RoomRegistry
{
    /// <summary>Invite: the invitee's sessions get the invitation (RoomRequest, Name = the inviter); the inviter gets Done.</summary>
    public void Invite(IRoomSession session, string name, string invitee, string note, uint tag)
    {
        if (_findAccount(invitee) is not { } account)
        {
            session.Send(ChatCommand.Error, name, Error(ErrorCode.UnknownUser, $"there is no user named '{invitee}'", tag));
            return;
        }

        // An invitation is kept by name until used, and a guest's name outlives the guest: a later account of that name
        // would have found itself invited (a spec audit, 2026-12-06). A guest joins open rooms only.
        if (SessionsOf(account) is [{ IsGuest: true }, ..])
        {
            session.Send(ChatCommand.Error, name, Error(ErrorCode.UnknownUser, $"'{invitee}' is a guest, not an account; guests cannot be invited (they can join open rooms)", tag));
            return;
        }

        IRoomSession[] targets;
        RoomRequestPacket invitation;
        string roomName;
        lock (_lock)
        {
            if (MemberRoom(session, name, tag) is not { } room)
            {
                return;
            }

            if (room.Modes.HasFlag(RoomModes.InviteOnly) && !room.Owners.Contains(session.UserName))
            {
                session.Send(ChatCommand.Error, name, Error(ErrorCode.NotRoomOwner, $"only an owner may invite to the invite-only room '{room.Name}'", tag));
                return;
            }

            if (!room.Members.ContainsKey(account))
            {
                room.Invited.Add(account);
                _roomsChanged.Add(room);
            }

            roomName = room.Name;
            invitation = new RoomRequestPacket(0, room.Modes, 0, session.UserName, note);
            targets = OnlineSessionsOf(account);
        }

        foreach (var target in targets.Where(s => s.Version >= 3))
        {
            target.Send(ChatCommand.Invite, roomName, invitation);
        }

        DoneOnceSaved(session, roomName, tag);
    }

    /// <summary>
    /// Done once the rooms file holds the change (DeleteRoom's rule, now also Kick's and Invite's): a kick answered
    /// Done was undone by a kill -9 within the save's 100 ms, and the kicked user was a member of the private room
    /// again, its history open to them (fault injection, 2026-12-05). The change itself, and its announcement, are
    /// at once. Takes the lock.
    /// </summary>
    private void DoneOnceSaved(IRoomSession session, string roomName, uint tag)
    {
        lock (_lock)
        {
            AfterSave(() => session.Send(ChatCommand.Done, roomName, new DonePacket(tag)));
        }
    }

    /// <summary>
    /// Kick (owners): the member's sessions get RoomLeft(Kicked, By, reason); the members who stay (the kicker too)
    /// get MemberLeft with the next presence batch, which first tells them who was kicked
    /// (<see cref="IRoomSession.MemberKicked"/>, outside the lock); the kicker gets Done.
    /// </summary>
    public void Kick(IRoomSession session, string name, string victim, string reason, uint tag)
    {
        IRoomSession[] targets;
        string roomName;
        string kicked;
        var view = new List<(IRoomSession To, byte[] Frame)>();
        lock (_lock)
        {
            if (MemberRoom(session, name, tag) is not { } room || OwnedRoom(session, room, "kick a member", tag, " (the server's operator can disconnect a user)") is null)
            {
                return;
            }

            kicked = room.Members.Keys.FirstOrDefault(m => RoomNames.Comparer.Equals(m, victim)) ?? string.Empty;
            if (kicked.Length == 0)
            {
                WithdrawInvitation(session, room, name, victim, tag);
                return;
            }

            if (room.IsDefault && HasV2Session(kicked))
            {
                session.Send(ChatCommand.Error, name, Error(ErrorCode.CannotLeaveDefault, V2HoldsDefault(kicked), tag));
                return;
            }

            roomName = room.Name;
            var members = room.Members.Keys.ToList();
            RemoveMember(room, kicked);
            room.Invited.Remove(kicked);
            // Carried by the batch that carries the MemberLeft, so an IRC member shows KICK and not also PART.
            room.PendingKicks.Add(new RoomKick(kicked, session.UserName, reason));

            PromoteIfOwnerless(room, view);
            if (view.Count > 0)
            {
                // A self-kick of the last owner: the members learn that the owner went before who owns the room now,
                // as for a leave (docs/PROTOCOL.md, Succession), not the heir at once and the kick with the next batch.
                AnnounceLeaveNow(room, kicked);
            }

            DeleteIfEmpty(room);
            targets = OnlineSessionsOf(kicked);
            SharingEnds(kicked, NoLongerShared(members, kicked));

            // Under the lock (RoomStateOrder): the victim rejoining at once gets its RoomLeft before the new join's answer.
            Write(view);
            var frame = FrameCodec.Serialize(ChatCommand.LeaveRoom, roomName, new RoomLeftPacket(0, RoomLeftReason.Kicked, session.UserName, reason));
            foreach (var target in targets.Where(s => s.Version >= 3))
            {
                target.Enqueue(frame);
            }
        }

        s_log.Info("{Session} kicked '{User}' from '{Room}'", session, kicked, roomName);
        DoneOnceSaved(session, roomName, tag);
    }

    /// <summary>
    /// A kick of a non-member: withdraws their invitation (Done), since an owner who invited the wrong person had no
    /// other way back; nobody else is told, and a later join is InviteOnly. Without an invitation it is NotInRoom.
    /// Under _lock: the answer to the kicker alone, as the kick's own errors are.
    /// </summary>
    private void WithdrawInvitation(IRoomSession session, Room room, string name, string victim, uint tag)
    {
        if (!room.Invited.Remove(victim))
        {
            session.Send(ChatCommand.Error, name, Error(ErrorCode.NotInRoom, $"'{victim}' is not in '{room.Name}'", tag));
            return;
        }

        _roomsChanged.Add(room);
        s_log.Info("{Session} withdrew the invitation of '{User}' to '{Room}'", session, victim, room.Name);
        // Under the lock already (the caller's).
        string roomName = room.Name;
        AfterSave(() => session.Send(ChatCommand.Done, roomName, new DonePacket(tag)));
    }

    /// <summary>DeleteRoom (owners; never the default room): every member session gets RoomLeft(Deleted); the owner gets Done.</summary>
    public void DeleteRoom(IRoomSession session, string name, uint tag)
    {
        var members = new List<IRoomSession>();
        string roomName;
        lock (_lock)
        {
            if (MemberRoom(session, name, tag) is not { } room)
            {
                return;
            }

            if (room.IsDefault)
            {
                session.Send(ChatCommand.Error, name, Error(ErrorCode.NotRoomOwner, $"'{room.Name}' is the default room; it cannot be deleted", tag));
                return;
            }

            if (OwnedRoom(session, room, "delete it", tag) is null)
            {
                return;
            }

            roomName = room.Name;
            members.AddRange(V3SessionsOf(room));
            var names = room.Members.Keys.ToArray();
            foreach (var member in names)
            {
                RemoveMember(room, member);
            }

            DeleteIfEmpty(room, logged: false);
            // Each pair once: the first of the two tells both sides.
            for (int i = 0; i < names.Length; i++)
            {
                SharingEnds(names[i], NoLongerShared(names.Skip(i + 1), names[i]));
            }

            // Under the lock (RoomStateOrder): a member re-creating the room at once gets this RoomLeft first.
            var frame = FrameCodec.Serialize(ChatCommand.LeaveRoom, roomName, new RoomLeftPacket(0, RoomLeftReason.Deleted, session.UserName));
            foreach (var member in members)
            {
                member.Enqueue(frame);
            }
        }

        s_log.Info("{Session} deleted room '{Room}'", session, roomName);

        // Done once the rooms file no longer lists the room, so an owner told "deleted" never sees it come back after
        // a kill -9. The members' RoomLeft goes at once: they are out of the room either way.
        lock (_lock)
        {
            AfterSave(() => session.Send(ChatCommand.Done, roomName, new DonePacket(tag)));
        }
    }

    /// <summary>SetRoomMode (owners): every member session gets the new RoomInfo; the requester's carries the tag.</summary>
    public void SetRoomMode(IRoomSession session, string name, RoomModes modes, uint tag)
    {
        lock (_lock)
        {
            if (MemberRoom(session, name, tag) is not { } room || OwnedRoom(session, room, "change its mode", tag) is null)
            {
                return;
            }

            room.Modes = modes & RoomModes.Settable;
            string roomName = room.Name;
            _roomsChanged.Add(room);
            // RoomInfo says "you own it" per user, so it is built per member rather than shared.
            // Under the lock (RoomStateOrder): two changes at once reach every member in the order they were made.
            foreach (var member in V3SessionsOf(room))
            {
                member.ModeChangedBy(roomName, session.UserName);
                member.Send(ChatCommand.SetRoomMode, roomName, InfoFor(room, member.UserName, member == session ? tag : 0));
            }
        }
    }

    /// <summary>The room when the session's user owns it; else sends NotRoomOwner and returns null. Under the lock.</summary>
    /// <param name="defaultRoomNote">Added to the refusal in the default room: what the user can do instead, if anything.</param>
    private static Room? OwnedRoom(IRoomSession session, Room room, string what, uint tag, string defaultRoomNote = "")
    {
        if (room.Owners.Contains(session.UserName))
        {
            return room;
        }

        // The default room has no owners at all, so "only an owner may" would send the user looking for one.
        string refusal = room.IsDefault
            ? $"'{room.Name}' is the default room: it has no owners, so nobody may {what} there{defaultRoomNote}"
            : $"only an owner of '{room.Name}' may {what}";
        session.Send(ChatCommand.Error, room.Name, Error(ErrorCode.NotRoomOwner, refusal, tag));
        return null;
    }
}
