using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Harness.Infra;

/// <summary>One frame as read by <see cref="RawPeer"/>, copied out of the receive buffer.</summary>
internal sealed record RawReply(ReplyKind Kind, ChatCommand Command = default, string Target = "", PacketType Type = default, IPacket? Packet = null, string Detail = "")
{
    public ErrorPacket? Error => Packet as ErrorPacket;

    public bool IsError(ErrorCode code) => Kind == ReplyKind.Frame && Error?.Code == code;

    public override string ToString() => Kind switch
    {
        ReplyKind.Frame => Packet is ErrorPacket e ? $"{Command} {e.Code} \"{e.Text}\"" : $"{Command} {Packet}",
        ReplyKind.Closed => "connection closed" + (Detail.Length > 0 ? $" ({Detail})" : string.Empty),
        ReplyKind.TimedOut => "no reply (timed out)",
        _ => "malformed reply: " + Detail,
    };
}
