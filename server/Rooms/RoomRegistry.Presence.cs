using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Presence is batched. Users going online or offline (first session in, last session out) are collected and
/// broadcast every batch as one UserConnected and one UserDisconnected frame listing everyone who changed, and the
/// online list newcomers receive is serialized once per batch and shared. Room joins and leaves are batched the same
/// way per room (MemberJoined / MemberLeft to that room's v3 sessions). When N users log in at once this costs O(N)
/// frames per batch instead of O(N²). A v3 session hears only of users it shares a room with (.Visibility).
/// </summary>
internal sealed partial class RoomRegistry
{
    // Keeps each list part well under the 64 KiB frame limit that clients enforce.
    private const int ListPartBytes = 48 * 1024;

    // Name -> (online at the last broadcast?, the user online now or null, listed to a newcomer as a pending join?).
    private readonly Dictionary<string, PresenceChange> _presenceChanges = new(UserNames.Comparer);
    private readonly HashSet<Room> _roomsChanged = [];

    // Why users went offline since the last batch, for those whose last session gave a reason (IRC's QUIT).
    private readonly Dictionary<string, string> _quitReasons = new(UserNames.Comparer);

    // The online list as of the last broadcast, as shared frames with More set on every part.
    private byte[][] _rosterParts = [];

    // What waits for the next batch to be written (AfterPresence). Under the lock.
    private readonly List<Action> _afterPresence = [];

    /// <summary>Told of every user going online or offline with each batch (IRC MONITOR); set once, at construction.</summary>
    public IPresenceWatch? Watch { get; init; }

    /// <summary>
    /// Runs <paramref name="done"/> once the presence changes made before this call have been sent: at once when none
    /// is waiting for the batch, otherwise right after the next batch is written (at most one batch interval). An IRC
    /// PING's barrier (IrcSession.PongOrder): IRC servers send a JOIN or PART before they answer a later PING.
    /// </summary>
    public void AfterPresence(Action done)
    {
        lock (_lock)
        {
            if (_presenceChanges.Count > 0 || _roomsChanged.Count > 0 || _sharingEnded.Count > 0)
            {
                _afterPresence.Add(done);
                return;
            }
        }

        done();
    }

    /// <summary>Records a user going online or offline; broadcast with the next batch. Under the lock.</summary>
    private void NotePresence(string userName, OnlineUser? now)
    {
        if (now is not null)
        {
            StampPresence(userName);
        }

        _presenceChanges[userName] = _presenceChanges.TryGetValue(userName, out var earlier)
            ? earlier with { Now = now }
            : new PresenceChange(WasOnline: now is null, now, Announced: false);
    }

    /// <summary>
    /// The batch's changes as a watcher sees them: online now and not at the last batch, or offline now. One who came
    /// and went within the batch counts as offline, since a MONITOR answered meanwhile may have said online. Under the lock.
    /// </summary>
    private (List<string> Online, List<string> Offline) WatchedChanges()
    {
        var online = new List<string>();
        var offline = new List<string>();
        foreach (var (name, change) in _presenceChanges)
        {
            if (change.Now is { } user)
            {
                if (!change.WasOnline)
                {
                    online.Add(user.Name);
                }
            }
            else
            {
                offline.Add(name);
            }
        }

        return (online, offline);
    }

    /// <summary>
    /// Users who came online since the last batch, marked as announced: a newcomer now lists them, so if they go
    /// before the batch, the batch must say so even though the rest never heard of them. Under the lock.
    /// </summary>
    private OnlineUser[] PendingJoins()
    {
        var joins = new List<OnlineUser>();
        foreach (var change in _presenceChanges.Values)
        {
            if (change.Now is { } user)
            {
                joins.Add(user);
            }
        }

        foreach (var user in joins)
        {
            _presenceChanges[user.Name] = _presenceChanges[user.Name] with { Announced = true };
        }

        return joins.ToArray();
    }

    /// <summary>
    /// Sends the batched changes. Runs on one loop only (never concurrently with itself), so batches arrive in order
    /// even though they are written after the lock is released.
    /// </summary>
    /// <param name="final">The last flush at stop: a save that failed before is retried now, without waiting.</param>
    /// <param name="save">False for a sender's early batch: a rooms file save it would make is left to the next tick.</param>
    public void FlushPresence(bool final = false, bool save = true)
    {
        var broadcasts = new List<(byte[] Frame, IRoomSession[] To)>();
        var kicks = new List<(string Room, RoomKick[] Kicks, IRoomSession[] To)>();
        var parts = new List<(string Room, RoomPart[] Parts, IRoomSession[] To)>();
        (Dictionary<string, string> Reasons, IRoomSession[] To)? quits = null;
        (List<string> Online, List<string> Offline)? watched = null;
        RoomsSnapshot? toSave = null;
        Action[] afterSave = [];
        Room[] newRooms = [];
        Action[] afterPresence = [];
        if (save && !final)
        {
            // Before this batch's snapshot (see ResumePurges): a deleted room's removal that did not finish before.
            ResumePurges();
        }

        bool vanished = save && RoomsFileVanished(final);
        long batch;
        lock (_lock)
        {
            batch = _batchNumber++;
            if (_afterPresence.Count > 0)
            {
                afterPresence = [.. _afterPresence];
                _afterPresence.Clear();
            }

            if (_presenceChanges.Count > 0)
            {
                var left = new List<OnlineUser>();
                var joined = new List<OnlineUser>();
                if (Watch is { Watching: true })
                {
                    watched = WatchedChanges();
                }

                foreach (var (name, change) in _presenceChanges)
                {
                    // A join and a leave within one batch cancel out, unless a newcomer was already told of the join.
                    if (change.WasOnline || (change.Announced && change.Now is null))
                    {
                        // Also for a reconnect (online before and after), so everyone learns the new login time.
                        left.Add(new OnlineUser(name, NowMs));
                    }

                    if (change.Now is { } user)
                    {
                        joined.Add(user);
                    }
                }

                // Of users shown leaving: still offline, or back within the batch, which IRC shows as a QUIT and a JOIN
                // (that QUIT said "Disconnected" instead of the user's own reason; an IRC audit, 2026-12-06).
                var reasons = new Dictionary<string, string>(UserNames.Comparer);
                foreach (var (name, reason) in _quitReasons)
                {
                    if (_presenceChanges.TryGetValue(name, out var change) && (change.Now is null || change.WasOnline))
                    {
                        reasons[name] = reason;
                    }
                }

                _quitReasons.Clear();
                _presenceChanges.Clear();
                var everyone = _allSessions ??= _online.Values.SelectMany(u => u.Sessions).ToArray();
                if (reasons.Count > 0)
                {
                    quits = (reasons, everyone);
                }

                AddPresence(broadcasts, everyone, left, joined);
                _rosterParts = Parts(ChatCommand.RequestUsers, string.Empty, _online.Values.Select(u => new OnlineUser(u.Name, u.ConnectedAtMs)).ToList(), more: true);
            }

            if (_guestsGone.Count > 0)
            {
                // After this batch's presence (computed with their rooms intact), before its room changes: their
                // MemberLeft goes out below, after the UserDisconnected that reports them offline.
                ForgetGoneGuests(broadcasts);
            }

            foreach (var room in _roomsChanged)
            {
                var members = V3SessionsOf(room);
                // Before the kicks and parts are handed on below: each MemberLeft entry carries its own (Departures).
                AddLeft(broadcasts, room, members);
                if (room.PendingKicks.Count > 0)
                {
                    kicks.Add((room.Name, room.PendingKicks.ToArray(), members));
                    room.PendingKicks.Clear();
                }

                if (room.PendingParts.Count > 0)
                {
                    parts.Add((room.Name, room.PendingParts.ToArray(), members));
                    room.PendingParts.Clear();
                }

                broadcasts.AddRange(Parts(ChatCommand.MemberJoined, room.Name, room.PendingJoined, more: false).Select(f => (f, members)));
                room.PendingLeft.Clear();
                room.PendingJoined.Clear();
                room.MemberParts = null;
            }

            AddSharingEnded(broadcasts);
            if (!save)
            {
                if (_roomsChanged.Count > 0)
                {
                    RequestSave();
                }
            }
            else if ((vanished || _roomsChanged.Count > 0 || (_afterSave.Count > 0 && Interlocked.Read(ref _saveRetryAt) == 0) || Interlocked.Exchange(ref _saveWanted, 0) == 1 || SaveRetryDue(final)) && _roomsFile is not null)
            {
                toSave = Snapshot();
                afterSave = [.. _afterSave];
                _afterSave.Clear();
                newRooms = [.. _unsavedRooms];
            }

            _roomsChanged.Clear();
        }

        if (watched is var (cameOnline, wentOffline))
        {
            Watch!.UsersChanged(cameOnline, wentOffline);
        }

        // Kicks first, before every frame of the batch: an IRC member drops the kicked user from the channel with a
        // KICK line, so the MemberLeft that follows shows no PART (and a QUIT in this batch none for that channel).
        foreach (var (room, roomKicks, recipients) in kicks)
        {
            foreach (var session in recipients)
            {
                foreach (var kick in roomKicks)
                {
                    if (UserNames.Comparer.Equals(session.UserName, kick.Member))
                    {
                        // The victim, back in the room within the batch: its sessions had their KICK at once, and a
                        // second one after the JOIN told the client it was out again (an IRC audit, 2026-12-06).
                        continue;
                    }

                    session.MemberKicked(room, kick.Member, kick.By, kick.Reason);
                }
            }
        }

        // Part reasons likewise, before the MemberLeft frames that an IRC session shows as PART lines.
        foreach (var (room, roomParts, recipients) in parts)
        {
            foreach (var session in recipients)
            {
                foreach (var part in roomParts)
                {
                    if (UserNames.Comparer.Equals(session.UserName, part.Member))
                    {
                        // The leaver, back within the batch: its sessions showed the PART at once (RoomLeft).
                        continue;
                    }

                    session.MemberParting(room, part.Member, part.Reason);
                }
            }
        }

        // Quit reasons too, before the UserDisconnected frames that an IRC session shows as QUIT lines.
        if (quits is var (quitReasons, sessions))
        {
            foreach (var session in sessions)
            {
                session.UsersQuitting(quitReasons);
            }
        }

        foreach (var (frame, recipients) in broadcasts)
        {
            // Each frame's copies go to the kernel together (SendBatch). One scope per frame, not per batch: within one
            // scope a member's second frame would queue behind its first and wake the member's writer at the end.
            using var sends = SendBatch.Open();
            foreach (var session in recipients)
            {
                // A full queue closes only that session (slow consumer); the loop goes on for the others.
                session.Enqueue(frame);
            }
        }

        Volatile.Write(ref _sentBatch, batch);
        foreach (var done in afterPresence)
        {
            done();
        }

        if (toSave is not null)
        {
            bool saved = Save(toSave, final);
            SettleNewRooms(newRooms, saved);
            if (saved)
            {
                RunAfterSave(afterSave);
            }
            else if (afterSave.Length > 0)
            {
                // A deletion's Done and the removal of its history wait for a save that works (retried every
                // SaveRetryMs): Done before it, a kill -9 brought the room and its messages back (fault injection,
                // 2026-12-05). After a failed save at stop they never run, and the room is back at the next start.
                lock (_lock)
                {
                    _afterSave.InsertRange(0, afterSave);
                }
            }
        }
    }

    /// <summary>
    /// A batch's presence. Every v2 session gets the whole batch, serialized once. A v3 session in the default room gets
    /// the changes of users in the default room, serialized once for all of them, plus frames of its own only for
    /// changed users outside it whom it shares another room with (usually none). Any other v3 session gets frames of
    /// its own listing itself and the users it shares a room with. So a login storm of users in the default room costs
    /// what it did before rooms, whoever else is online. Leaves first: a user who left and came back ends up online.
    /// Under the lock.
    /// </summary>
    private void AddPresence(List<(byte[] Frame, IRoomSession[] To)> broadcasts, IRoomSession[] everyone, List<OnlineUser> left, List<OnlineUser> joined)
    {
        var (leftIn, leftOut) = SplitByDefault(left);
        var (joinedIn, joinedOut) = SplitByDefault(joined);
        bool allIn = leftOut.Count == 0 && joinedOut.Count == 0;
        var whole = new List<IRoomSession>(everyone.Length);
        var lobby = new List<IRoomSession>();
        // Per user: their v3 sessions, and whether they are in the default room (then only the outside changes are theirs).
        var own = new Dictionary<string, (List<IRoomSession> Sessions, bool InDefault)>(UserNames.Comparer);
        foreach (var session in everyone)
        {
            bool inDefault = session.Version >= 3 && _default.Members.ContainsKey(session.UserName);
            if (session.Version < 3 || (inDefault && allIn))
            {
                whole.Add(session);
                continue;
            }

            if (inDefault)
            {
                lobby.Add(session);
            }

            if (own.TryGetValue(session.UserName, out var entry))
            {
                entry.Sessions.Add(session);
            }
            else
            {
                own[session.UserName] = ([session], inDefault);
            }
        }

        foreach (var (changes, inDefault, command) in new[] { (left, leftIn, ChatCommand.UserDisconnected), (joined, joinedIn, ChatCommand.UserConnected) })
        {
            var outside = command == ChatCommand.UserDisconnected ? leftOut : joinedOut;
            var toWhole = whole.ToArray();
            broadcasts.AddRange(Parts(command, string.Empty, changes, more: false).Select(f => (f, toWhole)));
            var toLobby = lobby.ToArray();
            broadcasts.AddRange(Parts(command, string.Empty, inDefault, more: false).Select(f => (f, toLobby)));
            foreach (var (user, entry) in own)
            {
                var sessions = entry.Sessions.ToArray();
                broadcasts.AddRange(Parts(command, string.Empty, SeenBy(user, entry.InDefault ? outside : changes), more: false).Select(f => (f, sessions)));
            }
        }
    }

    /// <summary>Changes of users in the default room, and the rest. Under the lock.</summary>
    private (List<OnlineUser> In, List<OnlineUser> Out) SplitByDefault(List<OnlineUser> changes)
    {
        var inside = new List<OnlineUser>(changes.Count);
        var outside = new List<OnlineUser>();
        foreach (var change in changes)
        {
            (_default.Members.ContainsKey(change.Name) ? inside : outside).Add(change);
        }

        return (inside, outside);
    }

    /// <summary>Queues the online list as of the last batch; the caller then sends a part without More.</summary>
    private void SendRosterParts(IRoomSession session)
    {
        foreach (var part in _rosterParts)
        {
            session.Enqueue(part);
        }
    }

    /// <summary>The online list (RequestUsers): as of the last batch, then everyone who came online since; a v3 session's only of users it shares a room with.</summary>
    public void SendUserList(IRoomSession session)
    {
        lock (_lock)
        {
            SendOnlineList(session, string.Empty);
        }
    }

    /// <summary>A room's member list as of the last batch, More on every part; rebuilt once per batch that changed it.</summary>
    private static byte[][] MemberParts(Room room)
    {
        if (room.MemberParts is { } parts)
        {
            return parts;
        }

        // Members who joined since the last batch go in the caller's last part, so they are left out here.
        var pending = room.PendingJoined.Select(p => p.Name).ToHashSet(UserNames.Comparer);
        var members = room.Members.Where(m => !pending.Contains(m.Key)).Select(m => new OnlineUser(m.Key, m.Value.JoinedAtMs)).ToList();
        return room.MemberParts = Parts(ChatCommand.JoinRoom, room.Name, members, more: true);
    }

    /// <summary>The v3 sessions of a room's members. Under the lock.</summary>
    private IRoomSession[] V3SessionsOf(Room room)
    {
        var sessions = new List<IRoomSession>();
        foreach (var name in room.Members.Keys)
        {
            if (_online.TryGetValue(name, out var entry))
            {
                sessions.AddRange(entry.Sessions.Where(s => s.Version >= 3));
            }
        }

        return sessions.ToArray();
    }

    /// <summary>
    /// The batch's MemberLeft frames of <paramref name="room"/>. A leaver who is a member again (a kick or a leave with a
    /// reason, then a rejoin within the batch: DepartureShown) is left out of the frames its own sessions get: they had
    /// their RoomLeft at once, and a MemberLeft naming themselves after the new join's RoomInfo would drop them from
    /// their own member list. Usually nobody is back, and every member gets the same frames. Under the lock.
    /// </summary>
    private static void AddLeft(List<(byte[] Frame, IRoomSession[] To)> broadcasts, Room room, IRoomSession[] members)
    {
        // Every changed room of every batch comes here (joins and topics too), so the set is made only when needed.
        HashSet<string>? back = null;
        foreach (var user in room.PendingLeft)
        {
            if (room.Members.ContainsKey(user.Name))
            {
                (back ??= new HashSet<string>(UserNames.Comparer)).Add(user.Name);
            }
        }

        if (back is null)
        {
            broadcasts.AddRange(LeftParts(room, room.PendingLeft).Select(f => (f, members)));
            return;
        }

        var others = members.Where(s => !back.Contains(s.UserName)).ToArray();
        broadcasts.AddRange(LeftParts(room, room.PendingLeft).Select(f => (f, others)));
        foreach (var name in back)
        {
            var own = members.Where(s => UserNames.Comparer.Equals(s.UserName, name)).ToArray();
            var rest = room.PendingLeft.Where(u => !UserNames.Comparer.Equals(u.Name, name)).ToList();
            broadcasts.AddRange(LeftParts(room, rest).Select(f => (f, own)));
        }
    }

    /// <summary>
    /// The MemberLeft frames for <paramref name="left"/>, each entry with why it left: kicked by an owner, or a leave
    /// with the part's reason (the last such record of the user in this batch). Under the lock, before the batch hands
    /// the room's pending kicks and parts on.
    /// </summary>
    private static byte[][] LeftParts(Room room, List<OnlineUser> left)
    {
        var departures = new List<MemberDeparture>(left.Count);
        foreach (var user in left)
        {
            int kick = room.PendingKicks.FindLastIndex(k => UserNames.Comparer.Equals(k.Member, user.Name));
            int part = room.PendingParts.FindLastIndex(p => UserNames.Comparer.Equals(p.Member, user.Name));
            departures.Add(kick >= 0 ? new MemberDeparture(RoomLeftReason.Kicked, room.PendingKicks[kick].By, room.PendingKicks[kick].Reason)
                : new MemberDeparture(RoomLeftReason.Left, string.Empty, part >= 0 ? room.PendingParts[part].Reason : string.Empty));
        }

        return Parts(ChatCommand.MemberLeft, room.Name, left, more: false, departures);
    }

    /// <summary>
    /// Splits a list into frames of at most <see cref="ListPartBytes"/>; <paramref name="more"/> marks every part (a
    /// list's use) or none. <paramref name="departures"/>, one per user, go with their users (MemberLeft only).
    /// </summary>
    private static byte[][] Parts(ChatCommand command, string target, List<OnlineUser> users, bool more, List<MemberDeparture>? departures = null)
    {
        if (users.Count == 0)
        {
            return [];
        }

        var parts = new List<byte[]>();
        int first = 0, bytes = 0;
        for (int i = 0; i < users.Count; i++)
        {
            int size = 2 + System.Text.Encoding.UTF8.GetByteCount(users[i].Name) + 8;
            if (departures is not null)
            {
                size += 1 + 2 + System.Text.Encoding.UTF8.GetByteCount(departures[i].By) + 2 + System.Text.Encoding.UTF8.GetByteCount(departures[i].Text);
            }

            if (bytes + size > ListPartBytes && i > first)
            {
                parts.Add(Part(first, i));
                first = i;
                bytes = 0;
            }

            bytes += size;
        }

        parts.Add(Part(first, users.Count));
        return parts.ToArray();

        byte[] Part(int from, int to) => FrameCodec.Serialize(command, target,
            new UserListPacket(users.GetRange(from, to - from).ToArray(), more, departures?.GetRange(from, to - from).ToArray()));
    }

    private readonly record struct PresenceChange(bool WasOnline, OnlineUser? Now, bool Announced);
}
