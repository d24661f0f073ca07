using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>No body: used by RequestUsers (client to server) and Logout.</summary>
public sealed class EmptyPacket : IPacket
{
    public static EmptyPacket Instance { get; } = new();

    private EmptyPacket()
    {
    }

    public PacketType Type => PacketType.Empty;

    public int MeasureBody() => 0;

    public void WriteBody(ref WireWriter writer)
    {
    }

    public override string ToString() => "Empty";
}
