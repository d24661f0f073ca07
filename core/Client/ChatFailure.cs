namespace LanTalk.Core.Client;

/// <summary>What went wrong, in terms a user interface can explain.</summary>
public enum ChatFailure
{
    Refused,
    TimedOut,
    HostNotFound,
    AuthFailed,
    AlreadyLoggedIn,
    ServerFull,
    VersionMismatch,
    RateLimited,
    ShuttingDown,
    Kicked,
    UnknownUser,
    UserOffline,
    Rejected,
    ProtocolError,
    ConnectionLost,

    /// <summary>The server's certificate fingerprint is not the trusted one.</summary>
    UntrustedServer,

    /// <summary>The TLS handshake failed, usually because one side runs without TLS.</summary>
    TlsFailed,

    /// <summary>The port accepted the connection, but nothing answered: not a LanTalk server, or a stuck one.</summary>
    Silent,
}
