using LanTalk.Core.Packets;

namespace LanTalk.Server.Rooms;

internal sealed partial class RoomRegistry
{
    /// <summary>Whether a room exists, for the IRC gateway's 403 (no such channel) versus 442 (not on it).</summary>
    public bool RoomExists(string name)
    {
        lock (_lock)
        {
            return _rooms.ContainsKey(name);
        }
    }

    /// <summary>
    /// Whether <paramref name="user"/> (an account name, any case) is a member of room <paramref name="name"/>, as the
    /// registry has it now: for IRC's 443 on an INVITE. A session's own channel view lags behind a kick it just made by a
    /// presence batch, so it cannot answer this.
    /// </summary>
    public bool IsMember(string name, string user)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(name, out var room) && room.Members.ContainsKey(user);
        }
    }

    /// <summary>
    /// A room's own spelling and its modes as any user sees them (the Default bit on the default room), or null when
    /// there is no such room; for IRC's MODE #name.
    /// </summary>
    public (string Name, RoomModes Modes)? ModesOf(string name)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(name, out var room) ? (room.Name, room.ModesFor(string.Empty) & ~RoomModes.YouOwn) : null;
        }
    }

    /// <summary>The id at or below which stored messages of <paramref name="name"/> belong to an earlier room (0 when none, or no such room).</summary>
    public long HistoryFromOf(string name)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(name, out var room) ? room.HistoryFrom : 0;
        }
    }
}
