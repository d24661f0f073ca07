using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>Ping and Pong body: the pong echoes the ping's nonce, so a round trip can be timed.</summary>
public sealed record PingPacket(ulong Nonce) : IPacket
{
    public PacketType Type => PacketType.Ping;

    public int MeasureBody() => 8;

    public void WriteBody(ref WireWriter writer) => writer.WriteUInt64(Nonce);

    public static PingPacket Read(ref WireReader reader) => new(reader.ReadUInt64());

    public override string ToString() => $"Ping {Nonce}";
}
