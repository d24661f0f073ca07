using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// A list of users. With RequestUsers it is (a part of) the online list; with UserConnected / UserDisconnected it is a
/// batch of presence changes. A list larger than one frame is sent in parts: every part but the last has
/// <see cref="More"/> set, and the receiver gathers parts until a part without it.
/// </summary>
public sealed record UserListPacket(IReadOnlyList<OnlineUser> Users, bool More = false) : IPacket
{
    // Smallest encoded entry: an empty name (2 bytes) and the timestamp (8 bytes).
    private const int MinEntrySize = 2 + 8;

    public PacketType Type => PacketType.UserList;

    public int MeasureBody()
    {
        int size = 4 + 1;
        foreach (var user in Users)
        {
            size += WireWriter.Utf8Size(user.Name) + 8;
        }

        return size;
    }

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteInt32(Users.Count);
        foreach (var user in Users)
        {
            writer.WriteString(user.Name);
            writer.WriteInt64(user.ConnectedAtMs);
        }

        writer.WriteByte(More ? (byte)1 : (byte)0);
    }

    public static UserListPacket Read(ref WireReader reader, ProtocolLimits limits)
    {
        int count = reader.ReadInt32();
        // Check the declared count against the bytes present before allocating the list.
        if (count < 0 || (long)count * MinEntrySize > reader.Remaining)
        {
            throw ProtocolViolationException.Violation($"user list declares {count} entries but holds {reader.Remaining} bytes");
        }

        var users = new OnlineUser[count];
        for (int i = 0; i < count; i++)
        {
            users[i] = new OnlineUser(reader.ReadString(limits.MaxUserNameLength * 4, "user name"), reader.ReadInt64());
        }

        // The flags byte came with the batching of presence; a body without it is a complete list.
        bool more = reader.Remaining > 0 && (reader.ReadByte() & 1) != 0;
        return new UserListPacket(users, more);
    }

    public override string ToString() => $"UserList [{string.Join(", ", Users.Select(u => u.Name))}]{(More ? " (more follows)" : string.Empty)}";
}
