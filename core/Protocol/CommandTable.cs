namespace LanTalk.Core.Protocol;

/// <summary>Which packet types each command may carry, and which commands a client may send.</summary>
public static class CommandTable
{
    public static bool IsKnown(ChatCommand command) => command is >= ChatCommand.RequestLogin and <= ChatCommand.ServerNotice;

    /// <summary>True when <paramref name="type"/> is a legal body for <paramref name="command"/> in either direction.</summary>
    public static bool Allows(ChatCommand command, PacketType type) => command switch
    {
        ChatCommand.RequestLogin or ChatCommand.Register => type == PacketType.Login,
        ChatCommand.RequestUsers => type is PacketType.Empty or PacketType.UserList,
        ChatCommand.UserAuthenticated => type == PacketType.Welcome,
        ChatCommand.UserConnected or ChatCommand.UserDisconnected => type is PacketType.Presence or PacketType.UserList,
        ChatCommand.ServerDisconnected or ChatCommand.Error => type == PacketType.Error,
        ChatCommand.PublicMessage or ChatCommand.PrivateMessage => type is PacketType.SendText or PacketType.ChatMessage,
        ChatCommand.Hello => type is PacketType.ServerHello or PacketType.ClientHello,
        ChatCommand.Ping or ChatCommand.Pong => type == PacketType.Ping,
        ChatCommand.Logout => type == PacketType.Empty,
        ChatCommand.ServerNotice => type == PacketType.Notice,
        _ => false,
    };

    /// <summary>True for the command/packet pairs a client may send to a server.</summary>
    public static bool IsClientToServer(ChatCommand command, PacketType type) => (command, type) switch
    {
        (ChatCommand.Hello, PacketType.ClientHello) => true,
        (ChatCommand.RequestLogin or ChatCommand.Register, PacketType.Login) => true,
        (ChatCommand.RequestUsers, PacketType.Empty) => true,
        (ChatCommand.PublicMessage or ChatCommand.PrivateMessage, PacketType.SendText) => true,
        (ChatCommand.Ping or ChatCommand.Pong, PacketType.Ping) => true,
        (ChatCommand.Logout, PacketType.Empty) => true,
        _ => false,
    };
}
