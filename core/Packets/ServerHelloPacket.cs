using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// First frame from the server: the versions it speaks and the limits it enforces. The message rate fields were
/// appended after the first release of version 2: a body without them reads as 0, "not announced".
/// </summary>
public sealed record ServerHelloPacket(
    ushort MinVersion,
    ushort MaxVersion,
    string ServerName,
    int MaxFrameSize,
    ushort MaxUserNameLength,
    int MaxMessageBytes,
    int PingIntervalSeconds,
    int IdleTimeoutSeconds,
    long ServerTimeMs,
    ServerFeatures Features,
    uint MessageRateMilli = 0,
    int MessageBurst = 0) : IPacket
{
    /// <summary>Sustained messages per second a session may send, or null when the server did not announce it.</summary>
    public double? MessageRatePerSecond => MessageRateMilli == 0 ? null : MessageRateMilli / 1000.0;

    public PacketType Type => PacketType.ServerHello;

    public int MeasureBody() => 2 + 2 + WireWriter.Utf8Size(ServerName) + 4 + 2 + 4 + 4 + 4 + 8 + 4 + 4 + 4;

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16(MinVersion);
        writer.WriteUInt16(MaxVersion);
        writer.WriteString(ServerName);
        writer.WriteInt32(MaxFrameSize);
        writer.WriteUInt16(MaxUserNameLength);
        writer.WriteInt32(MaxMessageBytes);
        writer.WriteInt32(PingIntervalSeconds);
        writer.WriteInt32(IdleTimeoutSeconds);
        writer.WriteInt64(ServerTimeMs);
        writer.WriteUInt32((uint)Features);
        // Appended fields: MessageRateMilli:u32 | MessageBurst:i32
        writer.WriteUInt32(MessageRateMilli);
        writer.WriteInt32(MessageBurst);
    }

    public static ServerHelloPacket Read(ref WireReader reader)
    {
        var hello = new ServerHelloPacket(
            reader.ReadUInt16(),
            reader.ReadUInt16(),
            reader.ReadString(256, "server name"),
            reader.ReadInt32(),
            reader.ReadUInt16(),
            reader.ReadInt32(),
            reader.ReadInt32(),
            reader.ReadInt32(),
            reader.ReadInt64(),
            (ServerFeatures)reader.ReadUInt32());

        // A server from before the rate fields ends here; a negative burst is as good as none.
        return reader.Remaining >= 8
            ? hello with { MessageRateMilli = reader.ReadUInt32(), MessageBurst = Math.Max(0, reader.ReadInt32()) }
            : hello;
    }

    public override string ToString() =>
        $"ServerHello v{MinVersion}-{MaxVersion} '{ServerName}' frame<={MaxFrameSize} name<={MaxUserNameLength} text<={MaxMessageBytes} ping={PingIntervalSeconds}s idle={IdleTimeoutSeconds}s rate={MessageRateMilli / 1000.0:0.###}/s burst={MessageBurst} {Features}";
}
