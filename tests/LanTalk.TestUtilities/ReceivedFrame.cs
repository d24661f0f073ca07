using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.TestUtilities;

/// <summary>One frame as a raw client received it: the header, and the body copied out of the read buffer.</summary>
public sealed record ReceivedFrame(ChatCommand Command, string Target, PacketType Type, byte[] Body)
{
    public IPacket Packet => PacketDecoder.Decode(Type, Body, ProtocolLimits.Default);

    public override string ToString() => $"{Command} -> '{Target}' {Packet}";
}
