using LanTalk.Core.Packets;

namespace LanTalk.Server.Rooms;

/// <summary>
/// The default room has no owners and is open to everyone (docs/PROTOCOL.md, "Room kinds"): every user is in it
/// unless they leave it. A saved room becomes the default one without any hand edit: Settings.xml's DefaultRoom
/// names an existing room, which keeps the owners, invite-only mode and invitations it had. Its former owner could
/// then kick people out of the room everyone belongs in, and make it invite-only (fault injection, 2026-12-05). So
/// at start those are dropped, with a warning, and saved that way.
/// </summary>
internal static class DefaultRoomRepair
{
    public static RoomsSnapshot Apply(RoomsSnapshot snapshot, string defaultRoom, string file, List<(string Room, string Message)> repairs)
    {
        int index = -1;
        for (int i = 0; i < snapshot.Rooms.Count; i++)
        {
            if (RoomNames.Comparer.Equals(snapshot.Rooms[i].Name, defaultRoom))
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            return snapshot;
        }

        var room = snapshot.Rooms[index];
        var dropped = new List<string>();
        if (room.Owners.Count > 0)
        {
            dropped.Add($"its owners ({string.Join(", ", room.Owners.Select(o => $"'{o}'"))})");
        }

        if ((room.Modes & RoomModes.InviteOnly) != 0)
        {
            dropped.Add("its invite-only mode");
        }

        if (room.Invited.Count > 0)
        {
            dropped.Add($"{room.Invited.Count} invitation(s)");
        }

        if (dropped.Count == 0)
        {
            return snapshot;
        }

        repairs.Add((room.Name, $"{file}: room '{room.Name}' is the default room (Settings.xml DefaultRoom), which has no owners and is open to everyone; "
            + $"dropped {string.Join(", ", dropped)}. To keep them, stop the server and name another room in DefaultRoom"));
        var rooms = snapshot.Rooms.ToList();
        rooms[index] = room with { Owners = [], Invited = [], Modes = room.Modes & ~RoomModes.InviteOnly };
        return snapshot with { Rooms = rooms };
    }
}
