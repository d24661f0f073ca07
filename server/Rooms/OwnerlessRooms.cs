namespace LanTalk.Server.Rooms;

/// <summary>
/// A saved room other than the default room with members but no owner breaks the rule that such a room always has
/// one (docs/PROTOCOL.md, "Succession"): nobody could set an owners-only topic, invite, kick or delete it. It is
/// repaired, not refused, because the repair is the one the server makes itself when a last owner goes (the longest
/// member inherits), and because the state arises without any hand edit: the former default room, which never has an
/// owner, is an ordinary room once Settings.xml's DefaultRoom names another.
/// </summary>
internal static class OwnerlessRooms
{
    /// <summary>
    /// The snapshot with an heir for each ownerless room; <paramref name="repairs"/> says what changed, for a warning.
    /// The heir must have an account (<paramref name="hasAccount"/>): a member Rooms.xml names without one (removed
    /// while the server was stopped, or a hand edit) once became the owner, so nobody could manage the room, and a new
    /// account under that name would have inherited it. With no member that has an account the room stays ownerless
    /// until a user with an account joins it (<see cref="RoomRegistry"/> promotes the joiner).
    /// </summary>
    public static RoomsSnapshot GiveOwners(RoomsSnapshot snapshot, string defaultRoom, string file, Func<string, bool> hasAccount, out List<(string Room, string Message)> repairs)
    {
        repairs = [];
        var rooms = new List<SavedRoom>(snapshot.Rooms.Count);
        foreach (var room in snapshot.Rooms)
        {
            if (RoomNames.Comparer.Equals(room.Name, defaultRoom) || room.Owners.Count > 0 || room.Members.Count == 0)
            {
                rooms.Add(room);
                continue;
            }

            // Succession's order: the earliest join, a tie to the name that sorts first case-insensitively.
            string? heir = room.Members.Where(m => hasAccount(m.Name)).OrderBy(m => m.JoinedAtMs).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault().Name;
            if (heir is null)
            {
                rooms.Add(room);
                repairs.Add((room.Name, $"{file}: room '{room.Name}' has members but no <Owner>, and none of them ({string.Join(", ", room.Members.Select(m => $"'{m.Name}'"))}) has an account; it stays without an owner until a user with an account joins it (to choose one now, stop the server and give it an <Owner> who is a member with an account)"));
                continue;
            }

            rooms.Add(room with { Owners = [heir] });
            repairs.Add((room.Name, $"{file}: room '{room.Name}' has members but no <Owner>; '{heir}', its longest member, owns it now, as when a last owner leaves (to choose another, stop the server and edit its <Owner>)"));
        }

        return repairs.Count == 0 ? snapshot : snapshot with { Rooms = rooms };
    }
}
