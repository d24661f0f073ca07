namespace LanTalk.Core.Protocol;

/// <summary>The 4-byte command code at the start of every frame (int32, little-endian).</summary>
/// <remarks>Codes 0–8 keep the 2008 values because tools derived from the original still use them; 15–30 are version 3.</remarks>
public enum ChatCommand
{
    RequestLogin = 0,
    RequestUsers = 1,
    UserAuthenticated = 2,
    UserConnected = 3,
    UserDisconnected = 4,
    ServerDisconnected = 5,
    PublicMessage = 6,
    PrivateMessage = 7,
    Error = 8,
    Hello = 9,
    Ping = 10,
    Pong = 11,
    Logout = 12,
    Register = 13,
    ServerNotice = 14,

    // Version 3 (docs/design/protocol-v3.md): rooms, sessions, history. A v2 session never sends or receives these.
    ListRooms = 15,
    JoinRoom = 16,
    LeaveRoom = 17,
    MemberJoined = 18,
    MemberLeft = 19,
    SetTopic = 20,
    Invite = 21,
    Kick = 22,
    DeleteRoom = 23,
    SetAway = 24,
    WhoIs = 25,
    History = 26,
    Search = 27,
    Receipt = 28,
    Done = 29,
    SetRoomMode = 30,
}
