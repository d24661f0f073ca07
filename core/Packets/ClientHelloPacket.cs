using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>The client's answer to ServerHello: the protocol version it will speak, and optional flags.</summary>
public sealed record ClientHelloPacket(ushort Version, string ClientName, ClientHelloMarks Flags = ClientHelloMarks.None) : IPacket
{
    public PacketType Type => PacketType.ClientHello;

    // Flags is written only when set: a body without it is byte for byte what clients before it sent.
    public int MeasureBody() => 2 + WireWriter.Utf8Size(ClientName) + (Flags == ClientHelloMarks.None ? 0 : 4);

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16(Version);
        writer.WriteString(ClientName);
        if (Flags != ClientHelloMarks.None)
        {
            writer.WriteUInt32((uint)Flags);
        }
    }

    public static ClientHelloPacket Read(ref WireReader reader)
    {
        ushort version = reader.ReadUInt16();
        string name = reader.ReadString(WireStrings.MaxClientBytes, "client name");
        // Optional (appended after the first v3 release); fewer than 4 bytes left are trailing bytes, ignored.
        var flags = reader.Remaining >= 4 ? (ClientHelloMarks)reader.ReadUInt32() : ClientHelloMarks.None;
        return new(version, name, flags);
    }

    public override string ToString() => $"ClientHello v{Version} '{ClientName}'{(Flags == ClientHelloMarks.None ? string.Empty : " " + Flags)}";
}
