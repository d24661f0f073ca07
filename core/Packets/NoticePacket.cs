using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>A notice from the server operator to everyone (ServerNotice).</summary>
public sealed record NoticePacket(long TimeMs, string Text) : IPacket
{
    /// <summary>
    /// The notice, cut to <see cref="WireStrings.MaxTextBytes"/> UTF-8 bytes: a receiver reads up to 65,535, but a
    /// frame must also fit the smallest MaxFrameSize (1,024 … ), and a console line has no bound of its own.
    /// </summary>
    public string Text { get; init => field = WireStrings.Fit(value, WireStrings.MaxTextBytes); } = WireStrings.Fit(Text, WireStrings.MaxTextBytes);

    public PacketType Type => PacketType.Notice;

    public int MeasureBody() => 8 + WireWriter.Utf8Size(Text);

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteInt64(TimeMs);
        writer.WriteString(Text);
    }

    public static NoticePacket Read(ref WireReader reader) => new(reader.ReadInt64(), reader.ReadString(ushort.MaxValue, "notice text"));

    public override string ToString() => $"Notice ({Text.Length} chars)";
}
