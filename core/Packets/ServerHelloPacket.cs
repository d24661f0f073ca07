using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>First frame from the server: the versions it speaks and the limits it enforces.</summary>
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
    ServerFeatures Features) : IPacket
{
    public PacketType Type => PacketType.ServerHello;

    public int MeasureBody() => 2 + 2 + WireWriter.Utf8Size(ServerName) + 4 + 2 + 4 + 4 + 4 + 8 + 4;

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
    }

    public static ServerHelloPacket Read(ref WireReader reader) => new(
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

    public override string ToString() =>
        $"ServerHello v{MinVersion}-{MaxVersion} '{ServerName}' frame<={MaxFrameSize} name<={MaxUserNameLength} text<={MaxMessageBytes} ping={PingIntervalSeconds}s idle={IdleTimeoutSeconds}s {Features}";
}

/// <summary>Optional server capabilities announced in ServerHello (bit flags; unknown bits are ignored).</summary>
[Flags]
public enum ServerFeatures : uint
{
    None = 0,
    Registration = 1,
}
