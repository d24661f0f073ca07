using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>Sent with UserAuthenticated: the name as the server stores it, the session id and the server clock.</summary>
public sealed record WelcomePacket(string UserName, ulong SessionId, long ServerTimeMs) : IPacket
{
    public PacketType Type => PacketType.Welcome;

    public int MeasureBody() => WireWriter.Utf8Size(UserName) + 8 + 8;

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteString(UserName);
        writer.WriteUInt64(SessionId);
        writer.WriteInt64(ServerTimeMs);
    }

    public static WelcomePacket Read(ref WireReader reader, ProtocolLimits limits) => new(
        reader.ReadString(limits.MaxUserNameLength * 4, "user name"),
        reader.ReadUInt64(),
        reader.ReadInt64());

    public override string ToString() => $"Welcome '{UserName}' #{SessionId}";
}
