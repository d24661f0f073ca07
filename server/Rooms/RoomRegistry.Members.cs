using LanTalk.Core.Packets;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

internal sealed partial class RoomRegistry
{
    /// <summary>Makes <paramref name="user"/> a member; its MemberJoined goes out with the next batch. Under the lock.</summary>
    private RoomMembership AddMember(Room room, string user)
    {
        var membership = new RoomMembership(NowMs) { JoinMark = room.LastId };
        if (room.IsDefault && !room.Members.ContainsKey(user) && _online.ContainsKey(user))
        {
            _onlineDefaultMembers++;
        }

        room.Members[user] = membership;
        room.Invited.Remove(user);
        if (!DepartureShown(room, user))
        {
            // A plain leave and a rejoin within one batch cancel out (the members' lists end the same either way).
            room.PendingLeft.RemoveAll(u => UserNames.Comparer.Equals(u.Name, user));
        }

        room.PendingJoined.Add(new OnlineUser(user, membership.JoinedAtMs));
        StampPresence(user);
        room.Recipients = null;
        _roomsChanged.Add(room);
        return membership;
    }

    /// <summary>
    /// Ends a membership; MemberLeft goes out with the next batch. The user's sessions stop taking live messages of the
    /// room here, under the lock and before any RoomLeft is queued, so a fan-out still running on an older recipient
    /// list cannot deliver after it. Under the lock.
    /// </summary>
    private void RemoveMember(Room room, string user)
    {
        if (!room.Members.Remove(user))
        {
            return;
        }

        _onlineDefaultMembers -= room.IsDefault && _online.ContainsKey(user) ? 1 : 0;

        foreach (var session in OnlineSessionsOf(user))
        {
            session.ExitRoom(room);
        }

        room.Owners.Remove(user);
        room.PendingJoined.RemoveAll(u => UserNames.Comparer.Equals(u.Name, user));
        if (!room.PendingLeft.Exists(u => UserNames.Comparer.Equals(u.Name, user)))
        {
            // Not twice: a departure kept across a rejoin (DepartureShown) is already waiting for this batch.
            room.PendingLeft.Add(new OnlineUser(user, NowMs));
        }

        room.Recipients = null;
        _roomsChanged.Add(room);
        if (room.IsDefault)
        {
            _leftDefault.Add(user);
        }
    }

    /// <summary>
    /// True when <paramref name="user"/>'s pending leave of <paramref name="room"/> is a kick or a leave with a reason:
    /// a rejoin within the batch does not cancel it, so the members see the departure (KICK, PART with its reason, or
    /// MemberLeft with its departure) and then the join. Cancelled, a /cycle's reason and a kick followed by the
    /// "rejoin on kick" of HexChat or mIRC reached nobody (an IRC audit, 2026-12-06). Under the lock.
    /// </summary>
    private static bool DepartureShown(Room room, string user) =>
        room.PendingKicks.Exists(k => UserNames.Comparer.Equals(k.Member, user)) || room.PendingParts.Exists(p => UserNames.Comparer.Equals(p.Member, user));

    /// <summary>
    /// True while <paramref name="user"/> has a v2 session. A v2 session knows only the default room and no v3 error
    /// code (it takes an unknown one as closing), so while one is online its user stays in the default room: a leave
    /// or kick from it is refused with CannotLeaveDefault (docs/PROTOCOL.md, "A v2 session on a v3 server"). Under the lock.
    /// </summary>
    private bool HasV2Session(string user) => _online.TryGetValue(user, out var entry) && entry.Sessions.Any(s => s.Version < 3);

    private string V2HoldsDefault(string user) =>
        $"'{user}' has a version 2 session, which can only be in '{_default.Name}'; the user stays in it until that session closes";

    /// <summary>The online sessions of <paramref name="user"/> (empty when offline). Under the lock.</summary>
    private IRoomSession[] OnlineSessionsOf(string user) => _online.TryGetValue(user, out var entry) ? entry.SessionSnapshot : [];
}
