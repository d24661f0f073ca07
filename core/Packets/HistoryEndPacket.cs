using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>Ends a join's replay or a History/Search answer: how many messages came, how many more match, and their id range.</summary>
public sealed record HistoryEndPacket(uint Tag, int Count, long Remaining, ulong FirstId, ulong LastId) : IPacket
{
    public PacketType Type => PacketType.HistoryEnd;

    public int MeasureBody() => 4 + 4 + 8 + 8 + 8;

    // tag:u32 | count:i32 | remaining:i64 | firstId:u64 | lastId:u64 (both 0 when count = 0)
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteInt32(Count);
        writer.WriteInt64(Remaining);
        writer.WriteUInt64(FirstId);
        writer.WriteUInt64(LastId);
    }

    public static HistoryEndPacket Read(ref WireReader reader) =>
        new(reader.ReadUInt32(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadUInt64(), reader.ReadUInt64());

    public override string ToString() => $"HistoryEnd tag={Tag} count={Count} remaining={Remaining} ids {FirstId}..{LastId}";
}
