using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

internal sealed partial class RoomRegistry
{
    private readonly Dictionary<string, OnlineUserEntry> _online = new(UserNames.Comparer);
    private int _sessionCount;

    // Online users who are members of the default room. While it equals _online.Count, a default member shares a
    // room with everyone online, so its v3 login takes the shared online list at once: building its own list to find
    // that out cost O(N) per login, a login storm of N users O(N²) (2 MB of short-lived large arrays per login at
    // 20,000 users, which took idle RSS per connection from 9.3 to 13.5 KB). Kept by AddMember, RemoveMember,
    // and the online and offline steps here; under the lock.
    private int _onlineDefaultMembers;

    // Every logged-in session, for broadcasts that take no lock. A login or logout only drops it (null) and the next
    // reader rebuilds it: copying it on every change cost O(N) per login, and a storm of N logins O(N²) bytes.
    private IRoomSession[]? _allSessions = [];

    /// <summary>Logged-in sessions (a user with three sessions counts three): MaxClients bounds this.</summary>
    public int SessionCount
    {
        get
        {
            lock (_lock)
            {
                return _sessionCount;
            }
        }
    }

    /// <summary>
    /// Users with a logged-in session, under the lock: a session that has just been sent its welcome (possibly
    /// written to its socket at once, from inside <see cref="TryLogin"/>) is already counted when its user asks.
    /// </summary>
    public int UserCount
    {
        get
        {
            lock (_lock)
            {
                return _online.Count;
            }
        }
    }

    /// <summary>The names of users with a logged-in session, under the lock (as <see cref="UserCount"/>).</summary>
    public List<string> UserNamesOnline()
    {
        lock (_lock)
        {
            return _online.Values.Select(u => u.Name).ToList();
        }
    }

    /// <summary>Every logged-in session as of the last login or logout.</summary>
    public IRoomSession[] AllSessions()
    {
        if (Volatile.Read(ref _allSessions) is { } snapshot)
        {
            return snapshot;
        }

        lock (_lock)
        {
            return _allSessions ??= _online.Values.SelectMany(u => u.Sessions).ToArray();
        }
    }

    /// <summary>The sessions of <paramref name="user"/>, or empty when offline.</summary>
    public IRoomSession[] SessionsOf(string user)
    {
        lock (_lock)
        {
            return _online.TryGetValue(user, out var entry) ? entry.SessionSnapshot : [];
        }
    }

    /// <summary>
    /// Admits a verified session. Its Welcome, the online list and (v3) its rooms are queued under the lock, before
    /// the session appears in any broadcast snapshot, so it never sees a message before its Welcome. The user goes
    /// online (presence) only with its first session.
    /// </summary>
    /// <remarks>
    /// This and <see cref="Leave"/> are the only places a session enters or leaves the roster. A connection that has
    /// started closing is refused here; one that starts closing after this runs is removed by <see cref="Leave"/>,
    /// which the close always triggers. So a login that finishes verifying after its connection ended never leaves a
    /// ghost holding a session slot (docs/PROTOCOL.md, "When the connection closes").
    /// </remarks>
    /// <param name="accountIdentity">
    /// The <see cref="UserRecord.IdentityMs"/> of the account whose password was checked; null for a guest (no account).
    /// </param>
    /// <returns>Null when admitted; else the refusal (code None when the connection closed: nobody hears it).</returns>
    public ErrorPacket? TryLogin(IRoomSession session, string userName, ErrorPacket closedDuringLogin, long? accountIdentity)
    {
        var settings = Settings;
        var view = new List<(IRoomSession To, byte[] Frame)>();
        lock (_lock)
        {
            if (session.IsClosing)
            {
                return closedDuringLogin;
            }

            if (accountIdentity is { } identity && !IsCurrentAccount(userName, identity))
            {
                s_log.Info("{Session} login as '{User}' refused: the account was removed, or removed and created again, while its password was checked", session, userName);
                return AccountGone;
            }

            _online.TryGetValue(userName, out var entry);
            if (entry is not null && !session.IsGuest && entry.Sessions.Any(s => s.IsGuest))
            {
                // An account created in the second before the server noticed it (Users.xml is polled), while a guest
                // still has the name: the guest is told to go (ChatServer.OnUsersCreated); sharing it, the guest read
                // the account's private messages. A login a moment later succeeds.
                return session.Version >= 3
                    ? new ErrorPacket(ErrorCode.TooManySessions, $"'{userName}' is still in use by a guest, who is being disconnected now that the account exists; try again in a moment")
                    : new ErrorPacket(ErrorCode.AlreadyLoggedIn, $"'{userName}' is still in use by a guest, who is being disconnected now that the account exists; try again in a moment");
            }

            int sessions = entry?.Sessions.Count ?? 0;
            if (sessions >= settings.MaxSessionsPerUser)
            {
                // A v2 client treats unknown codes as closing, so it hears the v2 code it knows.
                return session.Version >= 3
                    ? new ErrorPacket(ErrorCode.TooManySessions, $"'{userName}' already has {SessionsText.Count(sessions)}, the most this server allows (MaxSessionsPerUser); close one first")
                    : new ErrorPacket(ErrorCode.AlreadyLoggedIn, $"'{userName}' is already logged in from {SessionsText.Count(sessions)}, the most this server allows");
            }

            if (_sessionCount >= settings.MaxClients)
            {
                return new ErrorPacket(ErrorCode.ServerFull, $"the server is full ({SessionsText.Count(settings.MaxClients)} online); try again later");
            }

            if (!session.TryMarkAuthenticated(userName))
            {
                return closedDuringLogin;
            }

            bool firstSession = entry is null;
            if (entry is null)
            {
                entry = new OnlineUserEntry(userName, session.LoginTimeMs);
                _online[userName] = entry;
                _onlineDefaultMembers += _default.Members.ContainsKey(userName) ? 1 : 0;
            }

            entry.Sessions.Add(session);
            entry.SessionSnapshot = entry.Sessions.ToArray();
            session.Entry = entry;
            _sessionCount++;
            _allSessions = null;

            session.Send(ChatCommand.UserAuthenticated, userName, new WelcomePacket(userName, session.SessionId, NowMs, (ushort)entry.Sessions.Count));
            AfterWelcome?.Invoke(session);
            if (firstSession)
            {
                NotePresence(userName, new OnlineUser(userName, entry.ConnectedAtMs));
            }

            // Every user is in the default room unless they left it; a v2 client sees nothing else, so its login
            // puts the user back. Done before the online list, which a v3 session gets of the users it shares a room with.
            if (!_default.Members.ContainsKey(userName) && (session.Version < 3 || !_leftDefault.Contains(userName)))
            {
                // A first session's user comes online in this batch, which tells everyone who shares a room by then.
                var gained = firstSession ? new List<string>() : NewlyShared(_default, userName);
                var membership = AddMember(_default, userName);
                _leftDefault.Remove(userName);
                SharingStarts(view, userName, gained);
                // The user's v3 sessions now receive the default room's messages, so they hear of the room first,
                // as of any join from another session (and, as there, get no replay: only what follows the mark).
                foreach (var other in entry.Sessions)
                {
                    if (other != session && other.Version >= 3)
                    {
                        other.EnterRoom(_default, membership.JoinMark);
                        SendRoomState(other, _default, tag: 0);
                    }
                }
            }

            // The shared list as of the last batch, then a last part with everyone who joined since and the newcomer,
            // so the list is complete at once (a departure since the last batch shows within one batch interval).
            SendOnlineList(session, userName);

            foreach (var room in RoomsOf(userName))
            {
                room.Recipients = null;
                if (GetsMessagesOf(session, room))
                {
                    // Mark 0: this session gets no replay at login, and no recipient list taken before now holds it,
                    // so every message fanned out to it from here on is one it has not been sent.
                    session.EnterRoom(room, 0);
                }

                if (session.Version >= 3)
                {
                    SendRoomState(session, room, tag: 0);
                }
            }

            if (session.Version >= 3)
            {
                SendPendingInvitations(session, userName);
            }
        }

        Write(view);
        return null;
    }

    /// <summary>What a login verified against an account that is no longer the current one hears: a wrong password's answer.</summary>
    private static readonly ErrorPacket AccountGone = new(ErrorCode.AuthFailed, "wrong user name or password");

    /// <summary>
    /// Whether the account of <paramref name="userName"/> is still the one a login's password was checked against.
    /// Checked under the lock, as the admission itself is: the store swaps in a removal (or a removal and a new account
    /// of the name) before it raises UsersRemoved, whose handler finds the user's sessions under this lock. So a login
    /// checked here before the swap is among the sessions the removal closes, and one checked after it is refused. A
    /// check outside the lock left a gap: a login whose PBKDF2 run overlapped `user remove` was admitted after the
    /// removal had closed the others, never closed, and with `user remove`, then `user add`, of the name it became a session
    /// of the new person, reading their private messages with the old password (a race audit, 2026-12-06). Without
    /// an identity source (a registry built by a test) every account counts as current. Under the lock.
    /// </summary>
    private bool IsCurrentAccount(string userName, long identity) => _accountCreatedMs is not { } current || current(userName) == identity;

    /// <summary>
    /// At login, an Invite (no inviter, no note: neither is kept) for every room the user is invited to and not in: an
    /// invitation made while the invitee had no v3 session online was recorded and never told, so the invitee could not
    /// know the room was open to them (a UX audit, 2026-12-05). Under the lock.
    /// </summary>
    private void SendPendingInvitations(IRoomSession session, string userName)
    {
        foreach (var room in _rooms.Values)
        {
            if (room.Invited.Contains(userName) && !room.Members.ContainsKey(userName))
            {
                session.Send(ChatCommand.Invite, room.Name, new RoomRequestPacket(0, room.Modes, 0, string.Empty, string.Empty));
            }
        }
    }

    /// <summary>
    /// Runs once the connection starts closing, whatever closed it: the session becomes Closed, so a login still
    /// being verified can no longer be admitted, and it leaves the roster if it was in it. The user goes offline
    /// only with the last session.
    /// </summary>
    public void Leave(IRoomSession session)
    {
        lock (_lock)
        {
            if (!session.MarkClosed() || session.Entry is not { } entry || !entry.Sessions.Remove(session))
            {
                return;
            }

            entry.SessionSnapshot = entry.Sessions.ToArray();
            _sessionCount--;
            _allSessions = null;
            foreach (var room in RoomsOf(entry.Name))
            {
                room.Recipients = null;
            }

            if (entry.Sessions.Count == 0)
            {
                _online.Remove(entry.Name);
                _onlineDefaultMembers -= _default.Members.ContainsKey(entry.Name) ? 1 : 0;
                // Away ends with the user's last session.
                _awayUsers -= entry.Away.Length > 0 ? 1 : 0;
                NotePresence(entry.Name, null);
                if (session.QuitReason is { Length: > 0 } reason)
                {
                    _quitReasons[entry.Name] = reason;
                }
                else
                {
                    _quitReasons.Remove(entry.Name);
                }
            }
        }
    }

    /// <summary>The rooms <paramref name="user"/> is a member of. Under the lock.</summary>
    private IEnumerable<Room> RoomsOf(string user) => _rooms.Values.Where(r => r.Members.ContainsKey(user));

    /// <summary>
    /// The rooms <paramref name="session"/>, logged in as <paramref name="user"/>, takes live messages of. A login is
    /// admitted (the session is Authenticated, its UserAuthenticated queued) before it is put in its rooms, all under
    /// this lock, so its client can send a command while the rest of the login still runs; counted under the lock, the
    /// count waits for the login to finish.
    /// </summary>
    public int LiveRoomCount(IRoomSession session, string user)
    {
        lock (_lock)
        {
            return RoomsOf(user).Count(r => GetsMessagesOf(session, r));
        }
    }

    /// <summary>The names of the rooms <paramref name="user"/> is in, for history queries.</summary>
    public IReadOnlyCollection<string> RoomNamesOf(string user)
    {
        lock (_lock)
        {
            return RoomsOf(user).Select(r => r.Name).ToArray();
        }
    }

    /// <summary>The user's stored name and login time, or null when offline; for the operator's lists.</summary>
    public IReadOnlyList<IRoomSession> OnlineSessions() => AllSessions();
}
