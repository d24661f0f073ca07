using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Who a v3 session sees online: its own user and the users who share at least one room with it (docs/PROTOCOL.md,
/// "Presence follows shared rooms"). A v2 session knows no rooms and keeps seeing everyone. When a join makes two users
/// share a room, both are told at once (UserConnected); when a leave makes them share none, both are told with the next
/// batch (UserDisconnected), so a list never keeps a user the session can no longer hear about.
/// </summary>
internal sealed partial class RoomRegistry
{
    // Pairs that may have stopped sharing a room since the last batch: (user, the others).
    private readonly List<(string User, List<string> Others)> _sharingEnded = [];

    /// <summary>True when <paramref name="other"/> is in one of <paramref name="rooms"/> (a user's rooms, listed once per query). Under the lock.</summary>
    private static bool InAny(List<Room> rooms, string other)
    {
        foreach (var room in rooms)
        {
            if (room.Members.ContainsKey(other))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The online users <paramref name="user"/> sees, itself included; null when that is everyone online (the shared list serves). Under the lock.</summary>
    private List<OnlineUser>? VisibleOnline(string user)
    {
        // A count that drifted up would show users who share no room: the test suite (Debug) recounts at every login.
        System.Diagnostics.Debug.Assert(_onlineDefaultMembers == _online.Keys.Count(_default.Members.ContainsKey), "the online default-room member count drifted");
        if (_onlineDefaultMembers == _online.Count && _default.Members.ContainsKey(user))
        {
            return null;
        }

        var seen = new HashSet<string>(UserNames.Comparer);
        var list = new List<OnlineUser>();
        if (_online.TryGetValue(user, out var self))
        {
            seen.Add(self.Name);
            list.Add(new OnlineUser(self.Name, self.ConnectedAtMs));
        }

        foreach (var room in RoomsOf(user))
        {
            foreach (var member in room.Members.Keys)
            {
                if (_online.TryGetValue(member, out var entry) && seen.Add(entry.Name))
                {
                    list.Add(new OnlineUser(entry.Name, entry.ConnectedAtMs));
                }
            }
        }

        return list.Count == _online.Count ? null : list;
    }

    /// <summary>
    /// The online list for one session (login, RequestUsers): the shared parts when it sees everyone, else its own
    /// list. Under the lock; <paramref name="target"/> is the last part's target (the user's name at login).
    /// </summary>
    private void SendOnlineList(IRoomSession session, string target)
    {
        var pending = PendingJoins();
        if (session.Version < 3 || VisibleOnline(session.UserName) is not { } visible)
        {
            SendRosterParts(session);
            session.Send(ChatCommand.RequestUsers, target, new UserListPacket(pending, More: false));
            if (session.Version >= 3)
            {
                SendAwayOf(session, _online.Values);
            }

            return;
        }

        foreach (var part in Parts(ChatCommand.RequestUsers, target, visible, more: true))
        {
            session.Enqueue(part);
        }

        // A last part may be empty; it is the one without More that ends the list.
        session.Send(ChatCommand.RequestUsers, target, new UserListPacket([], More: false));
        SendAwayOf(session, visible.Select(u => _online.GetValueOrDefault(u.Name)).OfType<OnlineUserEntry>());
    }

    /// <summary>
    /// After an online list: the away status of each listed user who is away (the session's own user included), so a
    /// client can show who is away without a WhoIs per name; a change later comes as it happens. Under the lock.
    /// </summary>
    private void SendAwayOf(IRoomSession session, IEnumerable<OnlineUserEntry> users)
    {
        if (_awayUsers == 0)
        {
            return;
        }

        foreach (var user in users)
        {
            if (user.Away.Length > 0)
            {
                session.Send(ChatCommand.SetAway, string.Empty, AwayOf(user));
            }
        }
    }

    private static AwayPacket AwayOf(OnlineUserEntry user) => new(user.Name, user.Away, user.AwayTimeMs);

    /// <summary>
    /// Before <paramref name="user"/> joins <paramref name="room"/>: the online members they will start sharing a room
    /// with. Under the lock, before the member is added.
    /// </summary>
    private List<string> NewlyShared(Room room, string user)
    {
        var mine = RoomsOf(user).ToList();
        return room.Members.Keys.Where(m => _online.ContainsKey(m) && !UserNames.Comparer.Equals(m, user) && !InAny(mine, m)).ToList();
    }

    /// <summary>
    /// After <paramref name="user"/> left a room: those of its former <paramref name="members"/> who are online and no
    /// longer share any room with them. Under the lock, after the member was removed.
    /// </summary>
    private List<string> NoLongerShared(IEnumerable<string> members, string user)
    {
        var mine = RoomsOf(user).ToList();
        return members.Where(m => (_online.ContainsKey(m) || LeavingInThisBatch(m)) && !UserNames.Comparer.Equals(m, user) && !InAny(mine, m)).ToList();
    }

    /// <summary>
    /// True for a user gone offline since the last batch whom a session may list (online at that batch, or named to a
    /// newcomer since): the batch's UserDisconnected for them reaches only those still sharing a room with them, so
    /// one who stops sharing within the batch must be told by <see cref="AddSharingEnded"/>. Under the lock.
    /// </summary>
    private bool LeavingInThisBatch(string name) =>
        _presenceChanges.TryGetValue(name, out var change) && change.Now is null && (change.WasOnline || change.Announced);

    /// <summary>Presence entries <paramref name="user"/> may see: its own, and those of users sharing a room with it. Under the lock.</summary>
    private List<OnlineUser> SeenBy(string user, List<OnlineUser> changes)
    {
        var mine = RoomsOf(user).ToList();
        return changes.Where(c => UserNames.Comparer.Equals(c.Name, user) || InAny(mine, c.Name)).ToList();
    }

    /// <summary>Queues frames collected under the lock, after it was released.</summary>
    private static void Write(List<(IRoomSession To, byte[] Frame)> frames)
    {
        foreach (var (to, frame) in frames)
        {
            // A full queue closes only that session (slow consumer); the loop goes on for the others.
            to.Enqueue(frame);
        }
    }

    /// <summary>
    /// Two users now share a room: <paramref name="user"/>'s v3 sessions hear of <paramref name="others"/> at once (queued
    /// under the lock, before the room's state, so a client lists them by the time it shows the member list), and the
    /// others' v3 sessions hear of the user through <paramref name="into"/>, written after the lock.
    /// </summary>
    private void SharingStarts(List<(IRoomSession To, byte[] Frame)> into, string user, List<string> others)
    {
        if (_online.GetValueOrDefault(user) is not { } self || others.Count == 0)
        {
            return;
        }

        var aboutUser = FrameCodec.Serialize(ChatCommand.UserConnected, string.Empty, new UserListPacket([new OnlineUser(self.Name, self.ConnectedAtMs)], More: false));
        // Their away status comes with them, as it does after an online list: a change before this was not theirs to see.
        byte[]? userAway = self.Away.Length > 0 ? FrameCodec.Serialize(ChatCommand.SetAway, string.Empty, AwayOf(self)) : null;
        var listed = new List<OnlineUser>();
        var othersAway = new List<OnlineUserEntry>();
        foreach (var name in others)
        {
            if (_online.GetValueOrDefault(name) is { } other && other != self)
            {
                listed.Add(new OnlineUser(other.Name, other.ConnectedAtMs));
                if (other.Away.Length > 0)
                {
                    othersAway.Add(other);
                }

                foreach (var session in other.Sessions.Where(s => s.Version >= 3))
                {
                    into.Add((session, aboutUser));
                    if (userAway is not null)
                    {
                        into.Add((session, userAway));
                    }
                }
            }
        }

        foreach (var session in self.Sessions.Where(s => s.Version >= 3))
        {
            foreach (var part in Parts(ChatCommand.UserConnected, string.Empty, listed, more: false))
            {
                session.Enqueue(part);
            }

            foreach (var other in othersAway)
            {
                session.Send(ChatCommand.SetAway, string.Empty, AwayOf(other));
            }
        }
    }

    /// <summary>
    /// Two users may no longer share a room. Told with the next batch, after its MemberLeft, so a client sees the member
    /// leave the room before the user leaves its list (an IRC client would otherwise show a QUIT). Under the lock.
    /// </summary>
    private void SharingEnds(string user, List<string> others)
    {
        if (others.Count > 0)
        {
            _sharingEnded.Add((user, others));
        }
    }

    /// <summary>
    /// The batch's UserDisconnected for users who stopped sharing a room, both ways, for each pair that still shares
    /// none now (a rejoin since would have told them again). Under the lock.
    /// </summary>
    private void AddSharingEnded(List<(byte[] Frame, IRoomSession[] To)> broadcasts)
    {
        foreach (var (user, others) in _sharingEnded)
        {
            var mine = RoomsOf(user).ToList();
            var self = _online.GetValueOrDefault(user);
            var aboutUser = FrameCodec.Serialize(ChatCommand.UserDisconnected, string.Empty, new UserListPacket([new OnlineUser(self?.Name ?? user, NowMs)], More: false));
            var listed = new List<OnlineUser>();
            foreach (var name in others)
            {
                if (InAny(mine, name))
                {
                    continue;
                }

                if (_online.GetValueOrDefault(name) is not { } other)
                {
                    // Gone offline within this batch: its UserDisconnected went only to those sharing a room with it
                    // now, which the user no longer does, and the user may list it. A leave for a name a receiver does
                    // not list is ignored (PROTOCOL.md, User list and presence), so telling it here is always safe.
                    listed.Add(new OnlineUser(name, NowMs));
                    continue;
                }

                if (other == self)
                {
                    continue;
                }

                listed.Add(new OnlineUser(other.Name, NowMs));
                broadcasts.Add((aboutUser, other.Sessions.Where(s => s.Version >= 3).ToArray()));
            }

            if (self is not null)
            {
                var own = self.Sessions.Where(s => s.Version >= 3).ToArray();
                broadcasts.AddRange(Parts(ChatCommand.UserDisconnected, string.Empty, listed, more: false).Select(f => (f, own)));
            }
        }

        _sharingEnded.Clear();
    }
}
