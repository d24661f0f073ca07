using LanTalk.Core.Packets;

namespace LanTalk.Core.Protocol;

/// <summary>The closed packet table: one explicit switch from type code to decoder. No reflection, ever.</summary>
public static class PacketDecoder
{
    public static IPacket Decode(PacketType type, ReadOnlySpan<byte> body, ProtocolLimits limits)
    {
        var reader = new WireReader(body);
        // Trailing bytes after the known fields are ignored, so a later minor version can append fields.
        return type switch
        {
            PacketType.Empty => EmptyPacket.Instance,
            PacketType.ServerHello => ServerHelloPacket.Read(ref reader),
            PacketType.ClientHello => ClientHelloPacket.Read(ref reader),
            PacketType.Login => LoginPacket.Read(ref reader, limits),
            PacketType.Welcome => WelcomePacket.Read(ref reader, limits),
            PacketType.UserList => UserListPacket.Read(ref reader, limits),
            PacketType.Presence => PresencePacket.Read(ref reader, limits),
            PacketType.SendText => SendTextPacket.Read(ref reader, limits),
            PacketType.ChatMessage => ChatMessagePacket.Read(ref reader, limits),
            PacketType.Error => ErrorPacket.Read(ref reader),
            PacketType.Ping => PingPacket.Read(ref reader),
            PacketType.Notice => NoticePacket.Read(ref reader),
            PacketType.RoomRequest => RoomRequestPacket.Read(ref reader),
            PacketType.RoomInfo => RoomInfoPacket.Read(ref reader),
            PacketType.RoomList => RoomListPacket.Read(ref reader),
            PacketType.RoomLeft => RoomLeftPacket.Read(ref reader),
            PacketType.Topic => TopicPacket.Read(ref reader),
            PacketType.Away => AwayPacket.Read(ref reader),
            PacketType.UserInfo => UserInfoPacket.Read(ref reader),
            PacketType.HistoryRequest => HistoryRequestPacket.Read(ref reader),
            PacketType.HistoryEnd => HistoryEndPacket.Read(ref reader),
            PacketType.Receipt => ReceiptPacket.Read(ref reader),
            PacketType.Done => DonePacket.Read(ref reader),
            _ => throw ProtocolViolationException.Violation($"unknown packet type {(ushort)type}"),
        };
    }

    public static bool IsKnown(PacketType type) => type <= PacketType.Done;
}
