using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>The client's answer to ServerHello: the protocol version it will speak.</summary>
public sealed record ClientHelloPacket(ushort Version, string ClientName) : IPacket
{
    public PacketType Type => PacketType.ClientHello;

    public int MeasureBody() => 2 + WireWriter.Utf8Size(ClientName);

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16(Version);
        writer.WriteString(ClientName);
    }

    public static ClientHelloPacket Read(ref WireReader reader) =>
        new(reader.ReadUInt16(), reader.ReadString(256, "client name"));

    public override string ToString() => $"ClientHello v{Version} '{ClientName}'";
}
