using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>Success of a tagged request that has no other answer (Invite, Kick, DeleteRoom).</summary>
public sealed record DonePacket(uint Tag) : IPacket
{
    public PacketType Type => PacketType.Done;

    public int MeasureBody() => 4;

    // tag:u32
    public void WriteBody(ref WireWriter writer) => writer.WriteUInt32(Tag);

    public static DonePacket Read(ref WireReader reader) => new(reader.ReadUInt32());

    public override string ToString() => $"Done tag={Tag}";
}
