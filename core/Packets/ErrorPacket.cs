using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// An error code for programs and a sentence for people. Used by Error and ServerDisconnected.
/// <see cref="Tag"/> repeats the SendText tag the error answers (0 when it answers no message).
/// </summary>
public sealed record ErrorPacket(ErrorCode Code, string Text, uint Tag = 0) : IPacket
{
    /// <summary>The sentence, cut to <see cref="WireStrings.MaxTextBytes"/> UTF-8 bytes: the most any receiver reads.</summary>
    public string Text { get; init => field = WireStrings.Fit(value, WireStrings.MaxTextBytes); } = WireStrings.Fit(Text, WireStrings.MaxTextBytes);

    public PacketType Type => PacketType.Error;

    public bool ClosesConnection => ErrorCodes.ClosesConnection(Code);

    public int MeasureBody() => 2 + WireWriter.Utf8Size(Text) + 4;

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Code);
        writer.WriteString(Text);
        writer.WriteUInt32(Tag);
    }

    public static ErrorPacket Read(ref WireReader reader) =>
        new((ErrorCode)reader.ReadUInt16(), reader.ReadString(WireStrings.MaxTextBytes, "error text"), reader.ReadUInt32());

    public override string ToString() => $"Error {Code}: {Text}";
}
