using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>The one exception <see cref="ChatClient"/> throws for connection and protocol failures.</summary>
public sealed class ChatClientException(ChatFailure failure, string message, ErrorCode code = ErrorCode.None, Exception? inner = null, bool fromServer = false)
    : Exception(message, inner)
{
    /// <summary>True when the server said it in an Error frame: then it is a LanTalk server, whatever the code.</summary>
    public bool FromServer { get; } = fromServer;

    public ChatFailure Failure { get; } = failure;

    /// <summary>The server's error code, when the failure came from an Error frame.</summary>
    public ErrorCode Code { get; } = code;

    public static ChatFailure FailureFor(ErrorCode code) => code switch
    {
        ErrorCode.AuthFailed => ChatFailure.AuthFailed,
        // v3 says TooManySessions where v2 said AlreadyLoggedIn: for a user, the same "log out elsewhere first".
        ErrorCode.AlreadyLoggedIn or ErrorCode.TooManySessions => ChatFailure.AlreadyLoggedIn,
        ErrorCode.ServerFull or ErrorCode.TooManyConnections => ChatFailure.ServerFull,
        ErrorCode.UnsupportedVersion => ChatFailure.VersionMismatch,
        ErrorCode.RateLimited => ChatFailure.RateLimited,
        ErrorCode.ShuttingDown => ChatFailure.ShuttingDown,
        ErrorCode.Kicked or ErrorCode.AccountRemoved => ChatFailure.Kicked,
        ErrorCode.UnknownUser => ChatFailure.UnknownUser,
        ErrorCode.UserOffline => ChatFailure.UserOffline,
        ErrorCode.ProtocolViolation or ErrorCode.FrameTooLarge => ChatFailure.ProtocolError,
        ErrorCode.LoginTimeout or ErrorCode.IdleTimeout => ChatFailure.TimedOut,
        _ => ChatFailure.Rejected,
    };
}
