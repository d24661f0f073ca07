using LanTalk.Client.Connection;
using LanTalk.Core.Packets;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Chat;

/// <summary>The v3 listings: /rooms, /who in a room, /who NAME.</summary>
internal sealed partial class MessageFormatter
{
    /// <summary><c>-- rooms (2):</c> then one line per room: name, members, modes and topic.</summary>
    public string RoomList(IReadOnlyList<RoomSummary> rooms, IReadOnlyList<string> joined)
    {
        var lines = new List<string> { Status($"rooms ({rooms.Count}):", StatusLevel.Info) };
        // Columns, not characters: a CJK name takes two per character, and padded by characters its row was pushed
        // right (an outside audit, 2026-12-06).
        int width = rooms.Count == 0 ? 0 : rooms.Max(r => DisplayWidth.Of(RoomName.Display(Visible(r.Name))));
        foreach (var room in rooms.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase))
        {
            bool mine = joined.Contains(room.Name, StringComparer.OrdinalIgnoreCase);
            var modes = new List<string>();
            if ((room.Flags & RoomModes.Default) != 0)
            {
                modes.Add("default");
            }

            if ((room.Flags & RoomModes.InviteOnly) != 0)
            {
                modes.Add("invite-only");
            }

            if (mine)
            {
                modes.Add("joined");
            }

            string members = room.MemberCount == 1 ? "1 member" : $"{room.MemberCount} members";
            string name = DisplayWidth.PadRight(RoomName.Display(Visible(room.Name)), width + 1);
            lines.Add($"  {name} {members,-11}{(modes.Count > 0 ? " (" + string.Join(", ", modes) + ")" : string.Empty)}{(room.Topic.Length > 0 ? "  " + Visible(room.Topic) : string.Empty)}");
        }

        return string.Join('\n', lines);
    }

    /// <summary>e.g. <c>-- #dev (3, 1 offline): alice, bob (away: lunch), carol (offline)</c>.</summary>
    /// <param name="online">Whether a member is online now; null when unknown (then nobody is marked offline).</param>
    public string Members(string room, IReadOnlyList<OnlineUser> members, string self, Func<string, string?> away, IReadOnlyCollection<string>? owners = null, Func<string, bool>? online = null)
    {
        // Owners are marked: who may invite, kick or delete was nowhere to be seen (a UX audit, 2026-12-05). So are
        // members who are not online: the list names every member (membership outlives a logout), and a user asking
        // who is here could not tell who would read a message now.
        var owning = new HashSet<string>(owners ?? [], StringComparer.OrdinalIgnoreCase);
        int offline = 0;
        var names = members
            .DistinctBy(u => u.Name, StringComparer.OrdinalIgnoreCase)
            .OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase)
            .Select(u =>
            {
                bool here = online?.Invoke(u.Name) ?? true;
                offline += here ? 0 : 1;
                return Name(u.Name, self) + (owning.Contains(u.Name) ? " (owner)" : string.Empty)
                    + (!here ? " (offline)" : away(u.Name) is { } text ? $" (away: {Visible(text)})" : string.Empty);
            })
            .ToList();
        string count = offline > 0 ? $"{names.Count}, {offline} offline" : $"{names.Count}";
        return $"{Paint(Dim, "--")} {RoomName.Display(Visible(room))} ({count}): {string.Join(", ", names)}";
    }

    /// <summary><c>-- bob: 2 sessions, away: lunch</c>, then one line per session with its description and login time.</summary>
    /// <summary>/who NAME: the user's status and sessions; <paramref name="ownSession"/> (this window's) is marked, so a user with several devices sees which one they are typing in.</summary>
    public string UserInfo(UserInfoPacket info, string self, ulong ownSession = 0)
    {
        string sessions = info.Sessions.Count switch
        {
            0 => "offline",
            1 => "1 session",
            int n => $"{n} sessions",
        };
        var lines = new List<string>
        {
            $"{Paint(Dim, "--")} {Name(info.UserName, self)}: {sessions}{(info.Away.Length > 0 ? ", away: " + Visible(info.Away) : string.Empty)}",
        };
        foreach (var session in info.Sessions)
        {
            string here = ownSession != 0 && session.SessionId == ownSession ? ", this window" : string.Empty;
            lines.Add($"     {Visible(session.Client)} (since {Time(LanTalk.Core.Protocol.UnixMilliseconds.ToTime(session.SinceMs))}, protocol v{session.Version}{here})");
        }

        return string.Join('\n', lines);
    }
}
