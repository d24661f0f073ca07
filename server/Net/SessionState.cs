namespace LanTalk.Server.Net;

/// <summary>The protocol state machine of one connection (docs/PROTOCOL.md, "State machine").</summary>
internal enum SessionState
{
    /// <summary>ServerHello sent; waiting for the client's Hello.</summary>
    Connected,

    /// <summary>Versions agreed; waiting for RequestLogin or Register.</summary>
    HelloDone,

    /// <summary>
    /// A password check is running off the network loop; only Ping/Pong are handled, and any other frame waits unread
    /// until the login is decided.
    /// </summary>
    VerifyingLogin,

    Authenticated,

    /// <summary>
    /// The connection is closing or closed. Final: nothing leaves it, so a login that finishes verifying after the
    /// close is never admitted (docs/PROTOCOL.md, "When the connection closes").
    /// </summary>
    Closed,
}
