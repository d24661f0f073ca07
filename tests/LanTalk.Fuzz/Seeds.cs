using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Fuzz;

/// <summary>One valid frame of every packet type: the starting points for mutation.</summary>
internal static class Seeds
{
    public static IReadOnlyList<byte[]> Frames { get; } =
    [
        FrameCodec.Serialize(ChatCommand.Hello, string.Empty, new ClientHelloPacket(2, "fuzz")),
        FrameCodec.Serialize(ChatCommand.Hello, string.Empty, new ServerHelloPacket(2, 2, "LanTalk", 65536, 32, 4096, 30, 45, 1, ServerFeatures.None)),
        FrameCodec.Serialize(ChatCommand.RequestLogin, string.Empty, new LoginPacket("fuzz0", "pw")),
        FrameCodec.Serialize(ChatCommand.Register, string.Empty, new LoginPacket("ünïcode", "pw")),
        FrameCodec.Serialize(ChatCommand.RequestUsers, string.Empty, EmptyPacket.Instance),
        FrameCodec.Serialize(ChatCommand.RequestUsers, "fuzz0", new UserListPacket([new OnlineUser("a", 1), new OnlineUser("b", 2)])),
        FrameCodec.Serialize(ChatCommand.UserAuthenticated, "fuzz0", new WelcomePacket("fuzz0", 7, 1)),
        FrameCodec.Serialize(ChatCommand.UserConnected, "a", new PresencePacket("a", 1)),
        FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(1, "hello 👋")),
        FrameCodec.Serialize(ChatCommand.PrivateMessage, "fuzz1", new SendTextPacket(2, "psst")),
        FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new ChatMessagePacket(1, 2, "a", 3, "hi")),
        FrameCodec.Serialize(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.AuthFailed, "no", 0)),
        FrameCodec.Serialize(ChatCommand.Ping, string.Empty, new PingPacket(42)),
        FrameCodec.Serialize(ChatCommand.Pong, string.Empty, new PingPacket(42)),
        FrameCodec.Serialize(ChatCommand.Logout, string.Empty, EmptyPacket.Instance),
        FrameCodec.Serialize(ChatCommand.ServerNotice, string.Empty, new NoticePacket(1, "notice")),
    ];
}
