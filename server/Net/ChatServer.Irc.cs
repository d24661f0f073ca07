using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Irc;
using LanTalk.Server.Users;

namespace LanTalk.Server.Net;

/// <summary>
/// The IRC gateway's view of the roster and routing (pre-rooms adapter): IRC sessions are users online like
/// ChatSocket ones, under the same lock and the same MaxClients; the default room is #lobby. Kept small and in one
/// place because the room registry (issue 13) replaces the lobby membership here.
/// </summary>
public sealed partial class ChatServer
{
    // Both guarded by _rosterLock, like _online.
    private readonly Dictionary<string, IrcSession> _ircOnline = new(UserNames.Comparer);
    private readonly List<IrcSession> _ircLobby = [];
    private IrcSession[]? _ircLobbySnapshot = [];
    private int _peakOnline;

    /// <summary>Call under the roster lock after a login joined.</summary>
    private void NotePeakLocked() => _peakOnline = Math.Max(_peakOnline, _online.Count + _ircOnline.Count);

    /// <summary>The default room as an IRC channel: DefaultRoom with the '#' IRC channel names start with.</summary>
    internal string IrcLobbyChannel => "#" + Settings.DefaultRoom;

    /// <summary>ChatSocket and IRC users online: MaxClients counts them together.</summary>
    internal int TotalOnlineCount
    {
        get
        {
            lock (_rosterLock)
            {
                return _online.Count + _ircOnline.Count;
            }
        }
    }

    /// <summary>Admits a registered IRC session under its user name, or says why not.</summary>
    internal IrcRefusal? TryJoinIrc(IrcSession session, string name)
    {
        lock (_rosterLock)
        {
            if (session.Connection.IsClosing || session.State != IrcSessionState.Registering)
            {
                return new IrcRefusal("ERROR", "the connection closed");
            }

            if (_online.ContainsKey(name) || _ircOnline.ContainsKey(name))
            {
                // One session per user until multi-session lands (issue 13).
                return new IrcRefusal(IrcNumeric.NicknameInUse, $"'{name}' is already logged in from another session");
            }

            if (_online.Count + _ircOnline.Count >= Settings.MaxClients)
            {
                return new IrcRefusal(IrcNumeric.PasswdMismatch, $"the server is full ({Settings.MaxClients} users online); try again later");
            }

            session.MarkRegistered(name);
            _ircOnline[name] = session;
            NotePeakLocked();
            NotePresence(name, new OnlineUser(name, session.LoginTimeMs));
            return null;
        }
    }

    /// <summary>The session ended: it leaves the roster and #lobby, and lobby members see it QUIT.</summary>
    internal void LeaveIrc(IrcSession session, string reason)
    {
        lock (_rosterLock)
        {
            bool wasRegistered = session.State == IrcSessionState.Registered;
            session.MarkClosed();
            if (!wasRegistered || !_ircOnline.TryGetValue(session.Nick, out var current) || current != session)
            {
                return;
            }

            _ircOnline.Remove(session.Nick);
            _ircLobby.Remove(session);
            _ircLobbySnapshot = null;
            NotePresence(session.Nick, null);
            foreach (var member in IrcLobbyLocked())
            {
                member.DeliverPresence(session.Nick, "QUIT", reason);
            }
        }
    }

    internal void JoinIrcLobby(IrcSession session)
    {
        lock (_rosterLock)
        {
            session.InLobby = true;
            _ircLobby.Add(session);
            _ircLobbySnapshot = null;
            foreach (var member in IrcLobbyLocked())
            {
                member.DeliverPresence(session.Nick, "JOIN", IrcLobbyChannel);
            }
        }
    }

    internal void PartIrcLobby(IrcSession session, string reason)
    {
        lock (_rosterLock)
        {
            foreach (var member in IrcLobbyLocked())
            {
                member.DeliverPresence(session.Nick, "PART", reason.Length == 0 ? [IrcLobbyChannel] : [IrcLobbyChannel, reason]);
            }

            session.InLobby = false;
            _ircLobby.Remove(session);
            _ircLobbySnapshot = null;
        }
    }

    /// <summary>A ChatSocket user logged in or out: IRC lobby members see a JOIN or a QUIT. Call under the roster lock.</summary>
    private void IrcPresenceLocked(string name, bool joined)
    {
        foreach (var member in IrcLobbyLocked())
        {
            if (joined)
            {
                member.DeliverPresence(name, "JOIN", IrcLobbyChannel);
            }
            else
            {
                member.DeliverPresence(name, "QUIT", "Disconnected");
            }
        }
    }

    private IrcSession[] IrcLobbyLocked() => _ircLobbySnapshot ??= _ircLobby.ToArray();

    private IrcSession[] IrcLobbySnapshot()
    {
        if (Volatile.Read(ref _ircLobbySnapshot) is { } snapshot)
        {
            return snapshot;
        }

        lock (_rosterLock)
        {
            return IrcLobbyLocked();
        }
    }

    /// <summary>Everyone in #lobby: every ChatSocket user (v2 users are all in the default room) and the IRC members.</summary>
    internal IReadOnlyList<string> LobbyMembers()
    {
        lock (_rosterLock)
        {
            return _online.Keys.Concat(_ircLobby.Select(s => s.Nick)).ToList();
        }
    }

    /// <summary>Everyone online, ChatSocket and IRC, for WHO with a mask.</summary>
    internal IReadOnlyList<string> OnlineNames()
    {
        lock (_rosterLock)
        {
            return _online.Keys.Concat(_ircOnline.Keys).ToList();
        }
    }

    /// <summary>The most users online at once since start, for LUSERS (265/266).</summary>
    internal int PeakOnlineCount => Volatile.Read(ref _peakOnline);

    /// <summary>The stored spelling of an online user's name, ChatSocket or IRC, or null.</summary>
    internal string? FindAnyOnline(string name)
    {
        lock (_rosterLock)
        {
            return _online.TryGetValue(name, out var session) ? session.UserName
                : _ircOnline.TryGetValue(name, out var irc) ? irc.Nick
                : null;
        }
    }

    internal IrcSession? FindIrcSession(string name)
    {
        lock (_rosterLock)
        {
            return _ircOnline.GetValueOrDefault(name);
        }
    }

    internal bool IsInLobby(string name)
    {
        lock (_rosterLock)
        {
            return _online.ContainsKey(name) || (_ircOnline.TryGetValue(name, out var irc) && irc.InLobby);
        }
    }

    internal bool IsGuestName(string name) => FindIrcSession(name)?.IsGuest == true;

    /// <summary>Only IRC users can be away until rooms bring SetAway to ChatSocket (issue 13).</summary>
    internal string? AwayOf(string name) => FindIrcSession(name)?.AwayText;

    internal void NoteIrcAway(IrcSession session)
    {
        foreach (var member in IrcLobbySnapshot())
        {
            if (member != session)
            {
                member.DeliverAway(session.Nick, session.AwayText);
            }
        }
    }

    /// <summary>A channel message from IRC: to every ChatSocket user as a PublicMessage, and to the other IRC members.</summary>
    internal void RelayPublicFromIrc(IrcSession sender, string command, string text, string? clientTags = null)
    {
        var from = System.Text.Encoding.UTF8.GetBytes(sender.Nick);
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        ulong id = NextMessageId();
        long now = NowMs;
        var frame = new byte[ChatMessageFrame.Measure(0, from.Length, body.Length)];
        ChatMessageFrame.Write(frame, ChatCommand.PublicMessage, default, id, now, from, 0, body);
        BroadcastToOnline(frame);
        DeliverIrcPublic(sender.Nick, command, text, now, id, sender, clientTags);
    }

    /// <summary>To the IRC lobby members; the sender gets its own message only when it asked for echo-message.</summary>
    private void DeliverIrcPublic(string from, string command, string text, long timeMs, ulong id, IrcSession? sender, string? clientTags = null)
    {
        foreach (var member in IrcLobbySnapshot())
        {
            if (member != sender || member.Caps.HasFlag(IrcCaps.EchoMessage))
            {
                member.DeliverMessage(from, command, IrcLobbyChannel, text, timeMs, id, clientTags);
            }
        }
    }

    /// <summary>A private message from IRC to a ChatSocket or IRC user; null when delivered, else the 401 text.</summary>
    internal string? RelayPrivateFromIrc(IrcSession sender, string command, string to, string text, string? clientTags = null)
    {
        ulong id = NextMessageId();
        long now = NowMs;
        if (FindOnline(to) is { } recipient)
        {
            var target = recipient.UserNameUtf8;
            var from = System.Text.Encoding.UTF8.GetBytes(sender.Nick);
            var body = System.Text.Encoding.UTF8.GetBytes(text);
            var frame = new byte[ChatMessageFrame.Measure(target.Length, from.Length, body.Length)];
            ChatMessageFrame.Write(frame, ChatCommand.PrivateMessage, target, id, now, from, 0, body);
            if (!recipient.Connection.Enqueue(frame))
            {
                return "No such nick (gone)";
            }

            if (sender.Caps.HasFlag(IrcCaps.EchoMessage))
            {
                sender.DeliverMessage(sender.Nick, command, recipient.UserName!, text, now, id);
            }

            return null;
        }

        if (FindIrcSession(to) is { } peer)
        {
            peer.DeliverMessage(sender.Nick, command, peer.Nick, text, now, id, clientTags);
            if (sender.Caps.HasFlag(IrcCaps.EchoMessage))
            {
                sender.DeliverMessage(sender.Nick, command, peer.Nick, text, now, id, clientTags);
            }

            return null;
        }

        return Users.Find(to) is null ? "No such nick" : "No such nick (not online)";
    }

    /// <summary>IRC users for the online list newcomers get (ChatSocket sessions come from the snapshot).</summary>
    private OnlineUser[] IrcOnlineUsersLocked() => _ircOnline.Values.Select(s => new OnlineUser(s.Nick, s.LoginTimeMs)).ToArray();
}
