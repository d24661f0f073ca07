using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>
/// A room is never left without an owner while it has members: when its last owner leaves, is kicked or loses their
/// account, the member who has been in it longest becomes its owner (docs/PROTOCOL.md, "Rooms"). Otherwise nobody
/// could set an owners-only topic, invite to an invite-only room, kick or delete it again.
/// </summary>
internal sealed partial class RoomRegistry
{
    /// <summary>
    /// Promotes the longest-present member of an ownerless room who has an account (ties: the name,
    /// case-insensitively) and queues the new RoomInfo (SetRoomMode, Tag 0) for every member session into
    /// <paramref name="into"/>. A name Rooms.xml kept without an account is passed over: it cannot log in to manage
    /// the room, and a new account under that name must not inherit it. Under the lock.
    /// </summary>
    private void PromoteIfOwnerless(Room room, List<(IRoomSession To, byte[] Frame)> into)
    {
        if (room.IsDefault || room.Owners.Count > 0 || room.Members.Count == 0 || !_rooms.ContainsKey(room.Name))
        {
            return;
        }

        string? heir = room.Members
            .Where(m => _findAccount(m.Key) is not null)
            .OrderBy(m => m.Value.JoinedAtMs)
            .ThenBy(m => m.Key, StringComparer.OrdinalIgnoreCase)
            .Select(m => m.Key)
            .FirstOrDefault();
        if (heir is null)
        {
            // Only names without an account are left: the first user with one to join gets it (JoinLocked).
            return;
        }

        room.Owners.Add(heir);
        _roomsChanged.Add(room);
        s_log.Info("{Room}: its last owner went; '{User}', its longest member, owns it now", room, heir);

        // RoomInfo says "you own it" per user: one frame for the heir's sessions, one for everyone else's.
        var forHeir = FrameCodec.Serialize(ChatCommand.SetRoomMode, room.Name, InfoFor(room, heir, 0));
        var forOthers = FrameCodec.Serialize(ChatCommand.SetRoomMode, room.Name, InfoFor(room, string.Empty, 0));
        foreach (var member in V3SessionsOf(room))
        {
            into.Add((member, UserNames.Comparer.Equals(member.UserName, heir) ? forHeir : forOthers));
        }
    }

    // Guests whose session ended, to be forgotten by the batch that reports them offline. Under the lock.
    private readonly List<string> _guestsGone = [];

    /// <summary>
    /// A guest's session ended: the batch that tells everyone it went offline (with its rooms intact, so IRC shows a
    /// QUIT, not a PART from each room) then makes its rooms forget it (<see cref="ForgetUser"/>), before anyone can
    /// register the name again and find them. Nothing tied to a guest name outlives its session (docs/PROTOCOL.md, Guests).
    /// </summary>
    public void ForgetGuestOnceOffline(string name)
    {
        lock (_lock)
        {
            _guestsGone.Add(name);
        }
    }

    /// <summary>
    /// Forgets the gone guests whose going offline has been reported; keeps those still to be. Under the lock, in the
    /// batch: the successions' frames join <paramref name="broadcasts"/>, after the presence that reports them offline.
    /// </summary>
    private void ForgetGoneGuests(List<(byte[] Frame, IRoomSession[] To)> broadcasts)
    {
        var frames = new List<(IRoomSession To, byte[] Frame)>();
        for (int i = _guestsGone.Count - 1; i >= 0; i--)
        {
            string name = _guestsGone[i];
            if (_presenceChanges.ContainsKey(name))
            {
                continue;
            }

            _guestsGone.RemoveAt(i);
            // Not if the name is back: a new guest of that name, or an account the operator made with it.
            if (!_online.ContainsKey(name) && _findAccount(name) is null)
            {
                ForgetUserLocked(name, frames);
            }
        }

        broadcasts.AddRange(frames.Select(f => (f.Frame, new[] { f.To })));
    }

    /// <summary>
    /// An account was removed: it leaves every room (members get MemberLeft, ownerless rooms get an heir, rooms left
    /// empty go) and loses its invitations. Its sessions are closed by the server.
    /// </summary>
    public void ForgetUser(string user)
    {
        var frames = new List<(IRoomSession To, byte[] Frame)>();
        lock (_lock)
        {
            ForgetUserLocked(user, frames);
            // Under the lock (RoomStateOrder): a succession here and one by a leave at the same moment arrive in order.
            Write(frames);
        }
    }

    /// <summary>
    /// At start: every name Rooms.xml lists (member, owner, invitee, left the default room) that has no account was
    /// removed while the server was stopped (<c>lantalk-server user remove</c> edits only Users.xml), and is forgotten as
    /// a removal while running would have done. It stayed owner of its rooms, so nobody could manage them, and a new
    /// account of that name inherited its rooms, invitations and history (a rooms audit, 2026-12-05). Constructor only.
    /// </summary>
    private void ForgetRemovedAccounts(bool accountsKnown)
    {
        if (!accountsKnown)
        {
            if (_rooms.Values.Any(r => !r.IsDefault && r.Members.Count > 0) || _leftDefault.Count > 0)
            {
                s_log.Warn("Rooms: Users.xml is missing, so no member of a room is taken as removed; the rooms keep their members, owners and invitations. If the accounts are gone for good, remove them with lantalk-server user remove once Users.xml is back");
            }

            return;
        }

        var names = new HashSet<string>(UserNames.Comparer);
        foreach (var room in _rooms.Values)
        {
            // Owners are members (Rooms.xml with an owner who is not one is refused at load).
            names.UnionWith(room.Members.Keys);
            names.UnionWith(room.Invited);
        }

        names.UnionWith(_leftDefault);
        var frames = new List<(IRoomSession To, byte[] Frame)>();
        foreach (string name in names.Order(StringComparer.Ordinal))
        {
            if (_findAccount(name) is null)
            {
                s_log.Warn("Rooms: '{User}' has no account (removed while the server was not running, or just before it stopped without saving the rooms); it leaves every room and loses its invitations", name);
                ForgetUserLocked(name, frames);
            }
            else if (SavedForAnotherAccount(name))
            {
                // Removed and created again while the server was stopped: the new account is another person, who
                // inherited the old one's rooms, ownership and invitations (a spec audit, 2026-12-06).
                s_log.Warn("Rooms: '{User}' is a member of rooms it joined before its account was created (the account was removed and created again while the server was stopped); the new account leaves them and loses the old one's invitations", name);
                ForgetUserLocked(name, frames);
            }
        }
    }

    /// <summary>
    /// Whether the rooms file recorded <paramref name="user"/> for an account created at another time than the one
    /// of that name now. Older files record none, and then nothing is forgotten. Constructor only.
    /// </summary>
    private bool SavedForAnotherAccount(string user) =>
        _accountCreatedMs is not null && _loadedAccounts is not null && _loadedAccounts.TryGetValue(user, out long saved)
        && saved != _accountCreatedMs(user);

    /// <summary><see cref="ForgetUser"/>'s work; the successions' frames are left in <paramref name="frames"/> to send. Under the lock.</summary>
    private void ForgetUserLocked(string user, List<(IRoomSession To, byte[] Frame)> frames)
    {
        var formerMembers = new HashSet<string>(UserNames.Comparer);
        foreach (var room in _rooms.Values.ToArray())
        {
            if (room.Invited.Remove(user))
            {
                _roomsChanged.Add(room);
            }

            if (room.Members.ContainsKey(user))
            {
                formerMembers.UnionWith(room.Members.Keys);
                RemoveMember(room, user);
                int before = frames.Count;
                PromoteIfOwnerless(room, frames);
                if (frames.Count > before)
                {
                    // The removed owner's MemberLeft before the heir's RoomInfo, as for a leave (Succession), and in
                    // the caller's order: a gone guest is forgotten inside a presence batch, whose UserDisconnected
                    // (IRC: QUIT) must come first. Written at once, it went ahead of that: IRC members saw the guest
                    // PART, then QUIT (an IRC audit, 2026-12-04).
                    var leave = new List<(IRoomSession To, byte[] Frame)>();
                    AnnounceLeave(room, user, leave);
                    frames.InsertRange(before, leave);
                }

                DeleteIfEmpty(room);
            }
        }

        // Its sessions are closing, but the batch that reports them offline judges who may hear of it by the
        // rooms shared then, and it now shares none: without this, v3 sessions saw MemberLeft and kept the user in
        // their online list. Only while that going offline is still to be reported: once a batch has reported it
        // (the rooms were intact then), everyone who shared a room was told.
        if (_online.ContainsKey(user) || _presenceChanges.ContainsKey(user))
        {
            SharingEnds(user, NoLongerShared(formerMembers, user));
        }

        // Not "left the default room": a new account of that name starts in it like any other.
        _leftDefault.Remove(user);
    }
}
