using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>One online user: name and when the session logged in (Unix ms, server clock).</summary>
public readonly record struct OnlineUser(string Name, long ConnectedAtMs);

/// <summary>The online users, answering RequestUsers and following UserAuthenticated.</summary>
public sealed record UserListPacket(IReadOnlyList<OnlineUser> Users) : IPacket
{
    // Smallest encoded entry: an empty name (2 bytes) and the timestamp (8 bytes).
    private const int MinEntrySize = 2 + 8;

    public PacketType Type => PacketType.UserList;

    public int MeasureBody()
    {
        int size = 4;
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

        return new UserListPacket(users);
    }

    public override string ToString() => $"UserList [{string.Join(", ", Users.Select(u => u.Name))}]";
}
