using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>A private message that was stored for an offline recipient has now been delivered to them.</summary>
public sealed record ReceiptPacket(ulong MessageId, string Recipient, long TimeMs) : IPacket
{
    public PacketType Type => PacketType.Receipt;

    public int MeasureBody() => 8 + WireWriter.Utf8Size(Recipient) + 8;

    // messageId:u64 | recipient:str16 | timeMs:i64
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt64(MessageId);
        writer.WriteString(Recipient);
        writer.WriteInt64(TimeMs);
    }

    public static ReceiptPacket Read(ref WireReader reader) =>
        new(reader.ReadUInt64(), reader.ReadString(WireStrings.MaxNameBytes, "recipient"), reader.ReadInt64());

    public override string ToString() => $"Receipt #{MessageId} to '{Recipient}'";
}
