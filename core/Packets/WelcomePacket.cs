using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// Sent with UserAuthenticated: the name as the server stores it, the session id and the server clock. Version 3
/// appends <see cref="SessionCount"/>: the user's sessions, this one included (0 when a v2 server left it out).
/// </summary>
public sealed record WelcomePacket(string UserName, ulong SessionId, long ServerTimeMs, ushort SessionCount = 0) : IPacket
{
    public PacketType Type => PacketType.Welcome;

    public int MeasureBody() => WireWriter.Utf8Size(UserName) + 8 + 8 + 2;

    // userName:str16 | sessionId:u64 | serverTimeMs:i64 | v3: sessionCount:u16
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteString(UserName);
        writer.WriteUInt64(SessionId);
        writer.WriteInt64(ServerTimeMs);
        writer.WriteUInt16(SessionCount);
    }

    public static WelcomePacket Read(ref WireReader reader, ProtocolLimits limits)
    {
        var welcome = new WelcomePacket(
            reader.ReadString(limits.MaxUserNameBytes, "user name"),
            reader.ReadUInt64(),
            reader.ReadInt64());
        return reader.Remaining >= 2 ? welcome with { SessionCount = reader.ReadUInt16() } : welcome;
    }

    public override string ToString() => $"Welcome '{UserName}' #{SessionId}{(SessionCount > 0 ? $" sessions={SessionCount}" : string.Empty)}";
}
