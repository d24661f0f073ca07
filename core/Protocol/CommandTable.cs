namespace LanTalk.Core.Protocol;

/// <summary>
/// Which packet types each command may carry, and which command/packet pairs each direction may send in each
/// protocol version. A v2 session neither sends nor receives a version 3 command (docs/design/protocol-v3.md).
/// </summary>
public static class CommandTable
{
    public static bool IsKnown(ChatCommand command) => command is >= ChatCommand.RequestLogin and <= ChatCommand.SetRoomMode;

    /// <summary>The version that introduced <paramref name="command"/>: 2 for 0–14, 3 for 15–30.</summary>
    public static ushort IntroducedIn(ChatCommand command) => command >= ChatCommand.ListRooms ? (ushort)3 : (ushort)2;

    /// <summary>
    /// True for the commands a client must address to someone: a PrivateMessage with an empty target is a
    /// ProtocolViolation (PROTOCOL.md, Frames: "The target field").
    /// </summary>
    public static bool NeedsTarget(ChatCommand command) => command == ChatCommand.PrivateMessage;

    /// <summary>
    /// True for what a client may send before its login has completed: Hello, the login itself, Logout and the
    /// keep-alive. Anything else is answered NotAuthenticated and closes the connection (PROTOCOL.md, HelloDone).
    /// </summary>
    public static bool AllowedBeforeLogin(ChatCommand command) =>
        command is ChatCommand.Hello or ChatCommand.RequestLogin or ChatCommand.Register or ChatCommand.Logout or ChatCommand.Ping or ChatCommand.Pong;

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
        _ => IsClientToServer(command, type, 3) || IsServerToClient(command, type, 3),
    };

    /// <summary>True for the command/packet pairs a client speaking <paramref name="version"/> may send to a server.</summary>
    public static bool IsClientToServer(ChatCommand command, PacketType type, ushort version) => (command, type) switch
    {
        (ChatCommand.Hello, PacketType.ClientHello) => true,
        (ChatCommand.RequestLogin or ChatCommand.Register, PacketType.Login) => true,
        (ChatCommand.RequestUsers, PacketType.Empty) => true,
        (ChatCommand.PublicMessage or ChatCommand.PrivateMessage, PacketType.SendText) => true,
        (ChatCommand.Ping or ChatCommand.Pong, PacketType.Ping) => true,
        (ChatCommand.Logout, PacketType.Empty) => true,
        (ChatCommand.ListRooms or ChatCommand.JoinRoom or ChatCommand.LeaveRoom or ChatCommand.SetTopic or ChatCommand.Invite
            or ChatCommand.Kick or ChatCommand.DeleteRoom or ChatCommand.SetAway or ChatCommand.WhoIs or ChatCommand.SetRoomMode,
            PacketType.RoomRequest) => version >= 3,
        (ChatCommand.History or ChatCommand.Search, PacketType.HistoryRequest) => version >= 3,
        _ => false,
    };

    /// <summary>True for the command/packet pairs a server may send to a client speaking <paramref name="version"/>.</summary>
    public static bool IsServerToClient(ChatCommand command, PacketType type, ushort version) => (command, type) switch
    {
        (ChatCommand.Hello, PacketType.ServerHello) => true,
        (ChatCommand.UserAuthenticated, PacketType.Welcome) => true,
        (ChatCommand.RequestUsers, PacketType.UserList) => true,
        (ChatCommand.UserConnected or ChatCommand.UserDisconnected, PacketType.Presence or PacketType.UserList) => true,
        (ChatCommand.ServerDisconnected or ChatCommand.Error, PacketType.Error) => true,
        (ChatCommand.PublicMessage or ChatCommand.PrivateMessage, PacketType.ChatMessage) => true,
        (ChatCommand.Ping or ChatCommand.Pong, PacketType.Ping) => true,
        (ChatCommand.ServerNotice, PacketType.Notice) => true,
        (ChatCommand.ListRooms, PacketType.RoomList) => version >= 3,
        // A join's answer: RoomInfo, the member list parts (UserList), then HistoryEnd after the replay.
        (ChatCommand.JoinRoom, PacketType.RoomInfo or PacketType.UserList or PacketType.HistoryEnd) => version >= 3,
        (ChatCommand.LeaveRoom, PacketType.RoomLeft) => version >= 3,
        (ChatCommand.MemberJoined or ChatCommand.MemberLeft, PacketType.UserList) => version >= 3,
        (ChatCommand.SetTopic, PacketType.Topic) => version >= 3,
        // The invitation: target = room, Name = the inviter, Text = the inviter's note.
        (ChatCommand.Invite, PacketType.RoomRequest) => version >= 3,
        (ChatCommand.SetAway, PacketType.Away) => version >= 3,
        (ChatCommand.WhoIs, PacketType.UserInfo) => version >= 3,
        // History and Search answers are PublicMessage / PrivateMessage ChatMessages (flag History), then this.
        (ChatCommand.History or ChatCommand.Search, PacketType.HistoryEnd) => version >= 3,
        (ChatCommand.Receipt, PacketType.Receipt) => version >= 3,
        (ChatCommand.Done, PacketType.Done) => version >= 3,
        (ChatCommand.SetRoomMode, PacketType.RoomInfo) => version >= 3,
        _ => false,
    };
}
