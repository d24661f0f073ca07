using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Rooms;

/// <summary>Away status and WhoIs: per user, seen by everyone who shares a room with them.</summary>
internal sealed partial class RoomRegistry
{
    // Online users who are away now, so a login skips the scan for away statuses when nobody is. Under the lock.
    private int _awayUsers;

    /// <summary>SetAway: empty text = back. Every v3 session sharing a room with the user, and the user's own sessions, get Away.</summary>
    public void SetAway(IRoomSession session, string text, uint tag)
    {
        var settings = Settings;
        // One line, like a topic: an away text is shown inline by every client (IRC's 301 and AWAY lines, the
        // console's /who), and raw CR, LF, NUL or ESC reached every v3 client as sent (a spec audit, 2026-12-04).
        text = TopicText.Clean(text);
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > settings.MaxAwayBytes)
        {
            session.Send(ChatCommand.Error, string.Empty, Error(ErrorCode.TopicTooLong, $"the away text is {bytes} bytes; the limit is {settings.MaxAwayBytes}", tag));
            return;
        }

        // Members hear of the user's login or join before its away status, as before its messages (PresenceOrder):
        // IRC's away-notify reached a channel member as an AWAY from a nick not yet shown there (an own test, 2026-12-06).
        SendPresenceOf(session);
        var recipients = new HashSet<IRoomSession>();
        AwayPacket packet;
        lock (_lock)
        {
            if (session.Entry is not { } entry)
            {
                return;
            }

            if (text.Length == 0 && entry.Away.Length == 0)
            {
                // Back while not away changes nothing: only the asking session hears its state again, so a repeated
                // /back is not announced to every room. TimeMs 0 says "no change" (PROTOCOL.md); the time of an
                // earlier return went out here before, which a client took for a second "is back".
                recipients.Add(session);
                packet = new AwayPacket(entry.Name, string.Empty, 0);
            }
            else
            {
                SetAwayUnderLock(entry, text, recipients);
                packet = new AwayPacket(entry.Name, entry.Away, entry.AwayTimeMs);
            }
        }

        var frame = FrameCodec.Serialize(ChatCommand.SetAway, string.Empty, packet);
        foreach (var recipient in recipients)
        {
            recipient.Enqueue(frame);
        }
    }

    /// <summary>Sets the status and collects who hears it: the user's v3 sessions and every v3 session sharing a room. Under the lock.</summary>
    private void SetAwayUnderLock(OnlineUserEntry entry, string text, HashSet<IRoomSession> recipients)
    {
        _awayUsers += (entry.Away.Length == 0 ? 1 : 0) - (text.Length == 0 ? 1 : 0);
        entry.Away = text;
        entry.AwayTimeMs = NowMs;
        entry.AwayToldTo.Clear();
        recipients.UnionWith(entry.Sessions.Where(s => s.Version >= 3));
        foreach (var room in RoomsOf(entry.Name))
        {
            recipients.UnionWith(V3SessionsOf(room));
        }
    }

    /// <summary>
    /// The away answer a private message's sender gets once per away period (IRC's 301), or null when the recipient
    /// is here or the sender was already told.
    /// </summary>
    public AwayPacket? AwayAnswer(string recipient, string sender)
    {
        lock (_lock)
        {
            return _online.TryGetValue(recipient, out var entry) && entry.Away.Length > 0 && entry.AwayToldTo.Add(sender)
                ? new AwayPacket(entry.Name, entry.Away, entry.AwayTimeMs)
                : null;
        }
    }

    /// <summary>The user's away text, set from any of its sessions (IRC or ChatSocket); empty when here or offline.</summary>
    public string AwayTextOf(string user)
    {
        lock (_lock)
        {
            return _online.TryGetValue(user, out var entry) ? entry.Away : string.Empty;
        }
    }

    /// <summary>WhoIs: the user's away text and sessions (none when offline); UnknownUser when there is no such account.</summary>
    public void WhoIs(IRoomSession session, string name, uint tag)
    {
        if (_findAccount(name) is not { } account)
        {
            session.Send(ChatCommand.Error, string.Empty, Error(ErrorCode.UnknownUser, $"there is no user named '{name}'", tag));
            return;
        }

        UserInfoPacket info;
        lock (_lock)
        {
            info = _online.TryGetValue(account, out var entry)
                ? new UserInfoPacket(tag, entry.Name, entry.Away, entry.Sessions.Select(s => new SessionSummary(s.SessionId, s.ClientName, s.LoginTimeMs, s.Version)).ToArray())
                : new UserInfoPacket(tag, account, string.Empty, []);
        }

        session.Send(ChatCommand.WhoIs, string.Empty, info.FittedTo(string.Empty));
    }
}
