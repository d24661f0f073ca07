using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Who a v3 session sees online: its own user and the users who share at least one room with it (docs/PROTOCOL.md,
/// "Presence"). A v2 session knows no rooms and keeps seeing everyone. When a join or leave makes two users start or
/// stop sharing a room, both are told at once (UserConnected / UserDisconnected), so a list never keeps a user the
/// session can no longer hear about.
/// </summary>
internal sealed partial class RoomRegistry
{
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
            return;
        }

        foreach (var part in Parts(ChatCommand.RequestUsers, target, visible, more: true))
        {
            session.Enqueue(part);
        }

        // A last part may be empty; it is the one without More that ends the list.
        session.Send(ChatCommand.RequestUsers, target, new UserListPacket([], More: false));
    }

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
        return members.Where(m => _online.ContainsKey(m) && !UserNames.Comparer.Equals(m, user) && !InAny(mine, m)).ToList();
    }

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
    /// The frames that tell both sides of a change in who shares a room: <paramref name="user"/>'s v3 sessions hear of
    /// <paramref name="others"/>, and the others' v3 sessions hear of the user. Under the lock; written after it.
    /// </summary>
    private void ViewChange(List<(IRoomSession To, byte[] Frame)> into, string user, IEnumerable<string> others, bool connected)
    {
        // An offline user has no session to tell, and nobody lists them.
        if (_online.GetValueOrDefault(user) is not { } self)
        {
            return;
        }

        var command = connected ? ChatCommand.UserConnected : ChatCommand.UserDisconnected;
        var aboutUser = FrameCodec.Serialize(command, string.Empty, new UserListPacket([new OnlineUser(self.Name, connected ? self.ConnectedAtMs : NowMs)], More: false));
        var listed = new List<OnlineUser>();
        foreach (var name in others)
        {
            if (_online.GetValueOrDefault(name) is { } other && other != self)
            {
                listed.Add(new OnlineUser(other.Name, connected ? other.ConnectedAtMs : NowMs));
                into.AddRange(other.Sessions.Where(s => s.Version >= 3).Select(s => (s, aboutUser)));
            }
        }

        foreach (var part in Parts(command, string.Empty, listed, more: false))
        {
            into.AddRange(self.Sessions.Where(s => s.Version >= 3).Select(s => (s, part)));
        }
    }
}
