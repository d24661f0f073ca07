using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;
using LanTalk.Server.Users;

namespace LanTalk.Server.Net;

/// <summary>
/// Who is online lives in the <see cref="RoomRegistry"/> (one owner, one lock); this part wires the sessions to it
/// and keeps the operator's view (kick, notice, lists).
/// </summary>
public sealed partial class ChatServer
{
    /// <summary>A tenth of a second is below what a person notices, and long enough to merge a login storm.</summary>
    internal static readonly TimeSpan DefaultPresenceInterval = TimeSpan.FromMilliseconds(100);

    private Timer? _presenceTimer;

    /// <summary>Batch period; tests stretch it (before start) to make a batch window deterministic.</summary>
    internal TimeSpan PresenceInterval { get; set; } = DefaultPresenceInterval;

    /// <summary>Logged-in sessions (MaxClients bounds them); checked on every accept.</summary>
    public int OnlineCount => Rooms.SessionCount;

    /// <summary>Logged-in sessions of every kind (ChatSocket and IRC), for the operator console.</summary>
    public IReadOnlyList<SessionInfo> OnlineSessions =>
        Rooms.AllSessions().Select(s => new SessionInfo(s.UserName, s.RemoteDescription, UnixMilliseconds.ToTime(s.LoginTimeMs))).ToArray();

    private void StartPresence() => _presenceTimer = new Timer(_ => Rooms.TickPresence(), null, PresenceInterval, PresenceInterval);

    private void StopPresence()
    {
        Interlocked.Exchange(ref _presenceTimer, null)?.Dispose();
        // A tick may still be running (Dispose does not wait for it): the registry waits for it, then writes the last
        // batch and saves the final state once.
        Rooms.StopPresence();
    }

    /// <summary>
    /// Admits a session whose password was checked against <paramref name="account"/>, if that is still the name's
    /// account; see <see cref="RoomRegistry.TryLogin"/>.
    /// </summary>
    internal ErrorPacket? TryEnterRoster(Session session, UserRecord account) => Rooms.TryLogin(session, account.Name, Session.ClosedDuringLogin, account.IdentityMs);

    /// <summary>
    /// Tests only: awaited with the account's name once a login's password check (ChatSocket or IRC) has passed, before
    /// the session is admitted, so a test can act in that window (remove the account) without a timing race.
    /// </summary>
    internal Func<string, Task>? LoginVerified { get; set; }

    /// <summary>Awaits <see cref="LoginVerified"/>, if a test set it.</summary>
    internal Task AfterLoginVerified(string userName) => LoginVerified is { } hook ? hook(userName) : Task.CompletedTask;

    /// <summary>
    /// Tests only: awaited when a login is refused without closing, after the session went back to HelloDone and
    /// before the refusal is queued, so a test can make the read loop reach a pipelined frame in that window.
    /// </summary>
    internal Func<Session, Task>? LoginRefusing { get; set; }

    /// <summary>Awaits <see cref="LoginRefusing"/>, if a test set it.</summary>
    internal Task BeforeLoginRefusal(Session session) => LoginRefusing is { } hook ? hook(session) : Task.CompletedTask;

    /// <summary>Runs once the connection starts closing (and at Logout): the session can no longer log in, and leaves the roster.</summary>
    internal void LeaveRoster(Session session) => Rooms.Leave(session);

    /// <summary>Disconnects every session of a user with a ServerDisconnected(Kicked) notice. False when not online.</summary>
    public bool Kick(string userName, string reason)
    {
        var sessions = Rooms.SessionsOf(userName);
        foreach (var session in sessions)
        {
            s_log.Info("{Session} kicked by the operator: {Reason}", session, reason);
            session.CloseByServer(ErrorCode.Kicked, string.IsNullOrWhiteSpace(reason) ? "you were disconnected by the operator" : reason, "kicked: " + reason);
        }

        return sessions.Length > 0;
    }

    private void OnUsersRemoved(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            // The rooms first: a client that saw its session closed and logged in at once as the account created
            // again under the name (removed and re-added between two polls) was given the old account's rooms.
            var sessions = Rooms.SessionsOf(name);
            Rooms.ForgetUser(name);
            foreach (var session in sessions)
            {
                s_log.Info("{Session} disconnected: the account was removed", session);
                session.CloseByServer(ErrorCode.AccountRemoved, "your account was removed by the operator", "account removed");
            }
        }
    }

    /// <summary>
    /// An account now holds the name an IRC guest is using (`user add`, the console's adduser): the guest gives it up,
    /// or it would read the account's private messages and be listed as one of its sessions (a spec audit, 2026-12-06).
    /// Its rooms are forgotten as at any guest's leave, so the account inherits none of them.
    /// </summary>
    private void OnUsersCreated(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            foreach (var session in Rooms.SessionsOf(name))
            {
                if (session.IsGuest)
                {
                    s_log.Info("{Session} disconnected: an account named '{User}' was created", session, name);
                    session.CloseByServer(ErrorCode.AccountRemoved, $"an account named {name} was just created; connect again as a guest with another nick", "guest name taken by a new account");
                }
            }
        }
    }

    internal static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
