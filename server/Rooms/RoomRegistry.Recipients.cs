using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Rooms;

internal sealed partial class RoomRegistry
{
    /// <summary>
    /// The room a public message goes to: <paramref name="target"/> (empty = the default room), which must exist
    /// and have the sender as a member. A v2 session always means the default room.
    /// </summary>
    public Room? RoomForMessage(IRoomSession sender, string target, uint tag, out ErrorPacket? error)
    {
        lock (_lock)
        {
            var room = sender.Version < 3 || target.Length == 0 ? _default : _rooms.GetValueOrDefault(target);
            error = room is null ? Error(ErrorCode.NoSuchRoom, $"there is no room '{target}'", tag)
                : !room.Members.ContainsKey(sender.UserName) ? Error(ErrorCode.NotInRoom, $"you are not in '{room.Name}'; join it first", tag)
                : null;
            return error is null ? room : null;
        }
    }

    /// <summary>
    /// The sessions a committed message <paramref name="id"/> of <paramref name="room"/> goes to, recording the id
    /// as the room's last (a joining member's mark is taken under the same lock). Empty when the room was deleted.
    /// The array is shared until the next membership or login change; callers only read it. It is a snapshot: each
    /// session judges a message against its own membership as it is delivered (<see cref="IRoomSession.DeliverRoomFrame"/>).
    /// </summary>
    public IRoomSession[] Recipients(Room room, ulong id)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room.Name, out var current) || current != room)
            {
                return [];
            }

            if (id > room.LastId)
            {
                room.LastId = id;
            }

            return room.Recipients ??= BuildRecipients(room);
        }
    }

    private IRoomSession[] BuildRecipients(Room room)
    {
        var recipients = new List<IRoomSession>();
        foreach (var name in room.Members.Keys)
        {
            if (!_online.TryGetValue(name, out var entry))
            {
                continue;
            }

            foreach (var session in entry.Sessions)
            {
                if (GetsMessagesOf(session, room))
                {
                    recipients.Add(session);
                }
            }
        }

        return recipients.ToArray();
    }

    /// <summary>A v2 session knows only the default room; a v3 one gets the messages of every room its user is in.</summary>
    private static bool GetsMessagesOf(IRoomSession session, Room room) => session.Version >= 3 || room.IsDefault;
}
