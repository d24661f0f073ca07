using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>User name and password, for RequestLogin and Register.</summary>
public sealed record LoginPacket(string UserName, string Password) : IPacket
{
    public PacketType Type => PacketType.Login;

    public int MeasureBody() => WireWriter.Utf8Size(UserName) + WireWriter.Utf8Size(Password);

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteString(UserName);
        writer.WriteString(Password);
    }

    public static LoginPacket Read(ref WireReader reader, ProtocolLimits limits) => new(
        reader.ReadString(limits.MaxUserNameBytes, "user name"),
        reader.ReadString(limits.MaxPasswordBytes, "password"));

    // Never print the password, not even in a debug log.
    public override string ToString() => $"Login '{UserName}' password=***";
}
