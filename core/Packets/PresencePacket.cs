using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>A user came online (UserConnected) or went away (UserDisconnected), at server time.</summary>
public sealed record PresencePacket(string UserName, long TimeMs) : IPacket
{
    public PacketType Type => PacketType.Presence;

    public int MeasureBody() => WireWriter.Utf8Size(UserName) + 8;

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteString(UserName);
        writer.WriteInt64(TimeMs);
    }

    public static PresencePacket Read(ref WireReader reader, ProtocolLimits limits) =>
        new(reader.ReadString(limits.MaxUserNameBytes, "user name"), reader.ReadInt64());

    public override string ToString() => $"Presence '{UserName}'";
}
