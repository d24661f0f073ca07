using LanTalk.Core.Packets;
using LanTalk.Server.Irc;
using LanTalk.Server.Rooms;
using UserNames = LanTalk.Server.Users.UserNames;
using UserRecord = LanTalk.Server.Users.UserRecord;

namespace LanTalk.Server.Net;

/// <summary>
/// The IRC gateway's way into the roster: an IRC session is one more <see cref="IRoomSession"/> of its user in the
/// room registry, so it counts against MaxClients and MaxSessionsPerUser like any session and is delivered to by
/// the same router. Only what the registry does not already answer lives here.
/// </summary>
public sealed partial class ChatServer
{
    /// <summary>
    /// Admits a registered IRC session; null, or the refusal to show. <paramref name="account"/> is the one its password
    /// was checked against (null for a guest), admitted only while it is still the name's account.
    /// </summary>
    internal ErrorPacket? TryJoinIrc(IrcSession session, string name, UserRecord? account) =>
        Rooms.TryLogin(session, name, Session.ClosedDuringLogin, account?.IdentityMs);

    /// <summary>The session ended: it leaves the roster (the user goes offline with its last session).</summary>
    internal void LeaveIrc(IrcSession session)
    {
        session.ForgetMonitors();
        Rooms.Leave(session);
        // A guest is no account (docs/PROTOCOL.md, Guests): nothing tied to its name may outlive its session. It kept
        // its rooms, so whoever registered the same guest nick next got them back, invite-only rooms, history and
        // ownership included, and guest visits filled rooms to MaxRoomMembers (fault injection, 2026-12-03).
        if (session.TakeGuestForget() && session.GuestName is { } name)
        {
            Rooms.ForgetGuestOnceOffline(name);
        }
    }

    /// <summary>Who MONITORs whom; told of every user going online or offline by the registry's presence batch.</summary>
    internal IrcMonitors Monitors { get; } = new();

    /// <summary>The user names IRC sessions track, numbered for their bit sets (<see cref="IrcNameSet"/>).</summary>
    internal IrcNameIndex IrcNames { get; } = new();

    /// <summary>The stored spelling of an online user's name, or null when nobody by that name is online.</summary>
    internal string? FindAnyOnline(string name) => Rooms.SessionsOf(name) is [var first, ..] ? first.UserName : null;

    /// <summary>Everyone online, for WHO with a mask and ISON.</summary>
    internal IReadOnlyList<string> OnlineNames() => Rooms.UserNamesOnline();

    /// <summary>An IRC session of the user, for WHOIS (whether it is a guest).</summary>
    internal IrcSession? FindIrcSession(string name) => Rooms.SessionsOf(name).OfType<IrcSession>().FirstOrDefault();

    /// <summary>Every IRC session of the user, for CTCP (which only IRC clients can answer).</summary>
    internal IrcSession[] IrcSessionsOf(string name) => [.. Rooms.SessionsOf(name).OfType<IrcSession>()];

    /// <summary>The name of an online guest, so messages can reach it; null when no guest by that name is online.</summary>
    private string? FindGuest(string name)
    {
        foreach (var session in _ircSessions.Values)
        {
            if (session.IsGuest && session.State == IrcSessionState.Registered && UserNames.Comparer.Equals(session.Nick, name))
            {
                return session.Nick;
            }
        }

        return null;
    }

    /// <summary>Online users (LUSERS counts users, not sessions).</summary>
    internal int TotalOnlineCount => Rooms.UserCount;

    /// <summary>The most users online at once since start, for LUSERS (265/266).</summary>
    internal int PeakOnlineCount
    {
        get
        {
            int now = TotalOnlineCount;
            int peak = Volatile.Read(ref _peakOnline);
            while (now > peak && Interlocked.CompareExchange(ref _peakOnline, now, peak) != peak)
            {
                peak = Volatile.Read(ref _peakOnline);
            }

            return Math.Max(now, peak);
        }
    }

    private int _peakOnline;
}
