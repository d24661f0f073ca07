using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>History (paging back, catch-up) or Search (Text = the query); the room or user travels in the target.</summary>
public sealed record HistoryRequestPacket(uint Tag, HistoryScope Scope, ulong BeforeId = 0, ulong AfterId = 0, ushort Limit = 0, string Text = "") : IPacket
{
    public PacketType Type => PacketType.HistoryRequest;

    public int MeasureBody() => 4 + 1 + 8 + 8 + 2 + WireWriter.Utf8Size(Text);

    // tag:u32 | scope:u8 | beforeId:u64 (0 = newest) | afterId:u64 (0 = none) | limit:u16 (0 = default) | text:str16
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteByte((byte)Scope);
        writer.WriteUInt64(BeforeId);
        writer.WriteUInt64(AfterId);
        writer.WriteUInt16(Limit);
        writer.WriteString(Text);
    }

    public static HistoryRequestPacket Read(ref WireReader reader) => new(
        reader.ReadUInt32(),
        (HistoryScope)reader.ReadByte(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt16(),
        reader.ReadString(WireStrings.MaxTextBytes, "search text"));

    public override string ToString() => $"HistoryRequest tag={Tag} {Scope} before={BeforeId} after={AfterId} limit={Limit} ({Text.Length} chars)";
}
