using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// A list of users. With RequestUsers it is (a part of) the online list; with UserConnected / UserDisconnected it is a
/// batch of presence changes. A list larger than one frame is sent in parts: every part but the last has
/// <see cref="More"/> set, and the receiver gathers parts until a part without it.
/// </summary>
/// <remarks>
/// A MemberLeft list also carries <see cref="Departures"/>, one per entry in the same order, after the Flags byte
/// (docs/PROTOCOL.md, UserList): appended in version 3, as the Flags byte was in version 2, so receivers that predate it
/// skip the bytes. Null when the body has none (every other list, and MemberLeft from a server that predates them).
/// </remarks>
public sealed record UserListPacket(IReadOnlyList<OnlineUser> Users, bool More = false, IReadOnlyList<MemberDeparture>? Departures = null) : IPacket
{
    // Smallest encoded entry: an empty name (2 bytes) and the timestamp (8 bytes).
    private const int MinEntrySize = 2 + 8;

    // Smallest encoded departure: the reason (1 byte) and two empty strings (2 bytes each).
    private const int MinDepartureSize = 1 + 2 + 2;

    /// <summary>The longest departure text on the wire: a RoomRequest's Text (a part's reason), which a kick's is cut well below.</summary>
    public const int MaxDepartureTextBytes = 4096;

    public PacketType Type => PacketType.UserList;

    public int MeasureBody()
    {
        int size = 4 + 1;
        foreach (var user in Users)
        {
            size += WireWriter.Utf8Size(user.Name) + 8;
        }

        if (Departures is not null)
        {
            size += 4;
            foreach (var departure in Departures)
            {
                size += 1 + WireWriter.Utf8Size(departure.By) + WireWriter.Utf8Size(departure.Text);
            }
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
        if (Departures is not null)
        {
            writer.WriteInt32(Departures.Count);
            foreach (var departure in Departures)
            {
                writer.WriteByte((byte)departure.Reason);
                writer.WriteString(departure.By);
                writer.WriteString(departure.Text);
            }
        }
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
            users[i] = new OnlineUser(reader.ReadString(limits.MaxUserNameBytes, "user name"), reader.ReadInt64());
        }

        // The flags byte came with the batching of presence; a body without it is a complete list.
        bool more = reader.Remaining > 0 && (reader.ReadByte() & 1) != 0;
        return new UserListPacket(users, more, reader.Remaining > 0 ? ReadDepartures(ref reader, limits, count) : null);
    }

    private static MemberDeparture[] ReadDepartures(ref WireReader reader, ProtocolLimits limits, int entries)
    {
        int count = reader.ReadInt32();
        // One per entry, checked against the bytes present before allocating, as the entries are.
        if (count != entries || (long)count * MinDepartureSize > reader.Remaining)
        {
            throw ProtocolViolationException.Violation($"user list of {entries} entries declares {count} departures in {reader.Remaining} bytes");
        }

        var departures = new MemberDeparture[count];
        for (int i = 0; i < count; i++)
        {
            // A reason this receiver does not know (a later revision's) is kept as it came; it reads as a leave.
            departures[i] = new MemberDeparture((RoomLeftReason)reader.ReadByte(), reader.ReadString(limits.MaxUserNameBytes, "departure by"), reader.ReadString(MaxDepartureTextBytes, "departure text"));
        }

        return departures;
    }

    public override string ToString() => $"UserList [{string.Join(", ", Users.Select(u => u.Name))}]{(More ? " (more follows)" : string.Empty)}";
}
