using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// A user's away status: empty text means back. Target empty: the status changed. Target = the user's name: the
/// once-per-away answer to a private message the sender sent to an away user (IRC's 301).
/// </summary>
public sealed record AwayPacket(string UserName, string Text, long TimeMs) : IPacket
{
    /// <summary>The away text, cut to <see cref="WireStrings.MaxTextBytes"/> UTF-8 bytes (what a receiver reads).</summary>
    public string Text { get; init => field = WireStrings.Fit(value, WireStrings.MaxTextBytes); } = WireStrings.Fit(Text, WireStrings.MaxTextBytes);

    public PacketType Type => PacketType.Away;

    public bool IsAway => Text.Length > 0;

    public int MeasureBody() => WireWriter.Utf8Size(UserName) + WireWriter.Utf8Size(Text) + 8;

    // userName:str16 | text:str16 (empty = back) | timeMs:i64
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteString(UserName);
        writer.WriteString(Text);
        writer.WriteInt64(TimeMs);
    }

    public static AwayPacket Read(ref WireReader reader) => new(
        reader.ReadString(WireStrings.MaxNameBytes, "user name"),
        reader.ReadString(WireStrings.MaxTextBytes, "away text"),
        reader.ReadInt64());

    public override string ToString() => IsAway ? $"Away '{UserName}' ({Text.Length} chars)" : $"Away '{UserName}' back";
}
