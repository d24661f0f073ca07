namespace LanTalk.Core.Protocol;

/// <summary>Machine-readable error codes carried by <see cref="Packets.ErrorPacket"/> (uint16).</summary>
public enum ErrorCode : ushort
{
    None = 0,
    NotAuthenticated = 1,
    AuthFailed = 2,
    AlreadyLoggedIn = 3,
    ServerFull = 4,
    UnknownUser = 5,
    UserOffline = 6,
    FrameTooLarge = 7,
    ProtocolViolation = 8,
    UnsupportedVersion = 9,
    RateLimited = 10,
    ShuttingDown = 11,
    Kicked = 12,
    LoginTimeout = 13,
    IdleTimeout = 14,
    SlowConsumer = 15,
    MessageTooLong = 16,
    InvalidUserName = 17,
    RegistrationDisabled = 18,
    UserExists = 19,
    TooManyConnections = 20,
    AccountRemoved = 21,
    InternalError = 22,

    // Version 3 (docs/design/protocol-v3.md §Errors); none of them closes the connection.
    TooManySessions = 23,
    NoSuchRoom = 24,
    NotInRoom = 25,
    InviteOnly = 26,
    NotRoomOwner = 27,
    InvalidRoomName = 28,
    TooManyRooms = 29,
    RoomFull = 30,
    TopicTooLong = 31,
    StorageUnavailable = 32,
    TooManyStored = 33,
    CannotLeaveDefault = 34,
}
