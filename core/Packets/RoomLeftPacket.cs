using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>The user is no longer in the room named in the target: they left, were kicked, or the room was deleted.</summary>
public sealed record RoomLeftPacket(uint Tag, RoomLeftReason Reason, string By = "", string Text = "") : IPacket
{
    /// <summary>The reason, cut to <see cref="WireStrings.MaxTextBytes"/> UTF-8 bytes (what a receiver reads).</summary>
    public string Text { get; init => field = WireStrings.Fit(value, WireStrings.MaxTextBytes); } = WireStrings.Fit(Text, WireStrings.MaxTextBytes);

    public PacketType Type => PacketType.RoomLeft;

    public int MeasureBody() => 4 + 1 + WireWriter.Utf8Size(By) + WireWriter.Utf8Size(Text);

    // tag:u32 | reason:u8 (0 Left, 1 Kicked, 2 Deleted) | by:str16 | text:str16
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteByte((byte)Reason);
        writer.WriteString(By);
        writer.WriteString(Text);
    }

    public static RoomLeftPacket Read(ref WireReader reader) => new(
        reader.ReadUInt32(),
        (RoomLeftReason)reader.ReadByte(),
        reader.ReadString(WireStrings.MaxNameBytes, "by"),
        reader.ReadString(WireStrings.MaxTextBytes, "reason text"));

    public override string ToString() => $"RoomLeft tag={Tag} {Reason} by '{By}' ({Text.Length} chars)";
}
