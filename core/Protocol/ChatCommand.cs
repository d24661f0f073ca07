namespace LanTalk.Core.Protocol;

/// <summary>The 4-byte command code at the start of every frame (int32, little-endian).</summary>
/// <remarks>Codes 0–8 keep the 2008 values because tools derived from the original still use them.</remarks>
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
}
