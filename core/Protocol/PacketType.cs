namespace LanTalk.Core.Protocol;

/// <summary>The closed table of body layouts (uint16, little-endian). Unknown values are a protocol violation.</summary>
public enum PacketType : ushort
{
    Empty = 0,
    ServerHello = 1,
    ClientHello = 2,
    Login = 3,
    Welcome = 4,
    UserList = 5,
    Presence = 6,
    SendText = 7,
    ChatMessage = 8,
    Error = 9,
    Ping = 10,
    Notice = 11,

    // Version 3 bodies (docs/design/protocol-v3.md).
    RoomRequest = 12,
    RoomInfo = 13,
    RoomList = 14,
    RoomLeft = 15,
    Topic = 16,
    Away = 17,
    UserInfo = 18,
    HistoryRequest = 19,
    HistoryEnd = 20,
    Receipt = 21,
    Done = 22,
}
