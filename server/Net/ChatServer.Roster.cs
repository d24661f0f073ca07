using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.Users;

namespace LanTalk.Server.Net;

public sealed partial class ChatServer
{
    private readonly Lock _rosterLock = new();
    private readonly Dictionary<string, Session> _online = new(UserNames.Comparer);

    // Array of logged-in sessions that broadcasts iterate without taking the lock. A join or leave only drops it
    // (null) and the next reader rebuilds it: copying it on every change cost O(N) per login, and a storm of N
    // logins O(N²) bytes, gigabytes of large-object garbage at 20,000 clients.
    private Session[]? _onlineSnapshot = [];

    /// <summary>Checked on every accept, so it reads the dictionary rather than rebuilding a dropped snapshot.</summary>
    public int OnlineCount
    {
        get
        {
            lock (_rosterLock)
            {
                return _online.Count;
            }
        }
    }

    /// <summary>Logged-in sessions, for the operator console.</summary>
    public IReadOnlyList<SessionInfo> OnlineSessions =>
        OnlineSnapshot().Select(s => new SessionInfo(s.UserName!, s.Remote.ToString(), s.LoginTime)).ToArray();

    /// <summary>Everyone logged in, as of the last join or leave; rebuilt at most once per change.</summary>
    private Session[] OnlineSnapshot()
    {
        if (Volatile.Read(ref _onlineSnapshot) is { } snapshot)
        {
            return snapshot;
        }

        lock (_rosterLock)
        {
            return _onlineSnapshot ??= _online.Values.ToArray();
        }
    }

    internal Session? FindOnline(string name)
    {
        lock (_rosterLock)
        {
            return _online.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Makes a verified session a member of the roster. Its Welcome and user list are queued inside the lock,
    /// before the session appears in the broadcast snapshot, so it never sees a message before its Welcome.
    /// Everyone else hears of the join in the next presence batch.
    /// </summary>
    /// <remarks>
    /// This and <see cref="Leave"/> are the only places a session enters or leaves the roster, both under
    /// <see cref="_rosterLock"/>. A connection that has started closing is refused here; one that starts closing
    /// after this runs is removed by <see cref="Leave"/>, which the close always triggers. So a login that finishes
    /// verifying after its connection ended can never leave a ghost holding the name and a MaxClients slot.
    /// </remarks>
    /// <returns>Null when admitted; else the refusal (code None when the connection closed: nobody hears it).</returns>
    internal ErrorPacket? TryJoin(Session session, string userName)
    {
        lock (_rosterLock)
        {
            if (session.Connection.IsClosing || session.State != SessionState.VerifyingLogin)
            {
                return Session.ClosedDuringLogin;
            }

            if (_online.ContainsKey(userName) || _ircOnline.ContainsKey(userName))
            {
                return new ErrorPacket(ErrorCode.AlreadyLoggedIn, $"'{userName}' is already logged in from another session");
            }

            if (_online.Count + _ircOnline.Count >= Settings.MaxClients)
            {
                return new ErrorPacket(ErrorCode.ServerFull, $"the server is full ({Settings.MaxClients} users online); try again later");
            }

            if (!session.TryMarkAuthenticated(userName))
            {
                // Unreachable while Closed is only set under this lock; kept so a future change fails safe.
                return Session.ClosedDuringLogin;
            }

            _online[userName] = session;
            var connection = session.Connection;
            connection.Send(ChatCommand.UserAuthenticated, userName, new WelcomePacket(userName, (ulong)connection.Id, NowMs));
            // The shared list as of the last batch, then a last part with everyone who joined since and the newcomer,
            // so the list is complete at once (a departure since the last batch shows within one batch interval).
            SendRosterParts(session);
            NotePresence(userName, session.AsOnlineUser());
            connection.Send(ChatCommand.RequestUsers, userName, new UserListPacket(PendingJoins(), More: false));
            Volatile.Write(ref _onlineSnapshot, null);
            IrcPresenceLocked(userName, joined: true);
            NotePeakLocked();
        }

        return null;
    }

    /// <summary>
    /// Runs once the connection starts closing, whatever closed it (the peer, a violation, a timeout, the operator):
    /// the session becomes Closed, so a login still being verified can no longer be admitted, and it leaves the
    /// roster if it was in it.
    /// </summary>
    private void Leave(Session session)
    {
        lock (_rosterLock)
        {
            if (session.MarkClosed() == SessionState.Authenticated)
            {
                RemoveOnlineLocked(session);
            }
        }
    }

    internal void RemoveOnline(Session session)
    {
        lock (_rosterLock)
        {
            RemoveOnlineLocked(session);
        }
    }

    private void RemoveOnlineLocked(Session session)
    {
        if (session.UserName is not { } name || !_online.TryGetValue(name, out var current) || current != session)
        {
            return;
        }

        _online.Remove(name);
        Volatile.Write(ref _onlineSnapshot, null);
        NotePresence(name, null);
        IrcPresenceLocked(name, joined: false);
    }
    /// <summary>Disconnects a logged-in user with a ServerDisconnected(Kicked) notice. False when not online.</summary>
    public bool Kick(string userName, string reason)
    {
        var session = FindOnline(userName);
        if (session is null)
        {
            return false;
        }

        s_log.Info("{Session} kicked by the operator: {Reason}", session, reason);
        session.Connection.Close(new DisconnectReason(DisconnectKind.Local, ErrorCode.Kicked, "kicked: " + reason),
            new ErrorPacket(ErrorCode.Kicked, string.IsNullOrWhiteSpace(reason) ? "you were disconnected by the operator" : reason),
            ChatCommand.ServerDisconnected);
        return true;
    }

    private void OnUsersRemoved(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (FindOnline(name) is { } session)
            {
                s_log.Info("{Session} disconnected: the account was removed", session);
                session.Connection.Close(new DisconnectReason(DisconnectKind.Local, ErrorCode.AccountRemoved, "account removed"),
                    new ErrorPacket(ErrorCode.AccountRemoved, "your account was removed by the operator"),
                    ChatCommand.ServerDisconnected);
            }
        }
    }

    internal static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
