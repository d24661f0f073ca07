namespace LanTalk.Core.Protocol;

/// <summary>Which errors end the connection; docs/PROTOCOL.md §Errors is the source of this table.</summary>
public static class ErrorCodes
{
    /// <summary>True when the sender closes the connection right after this error.</summary>
    public static bool ClosesConnection(ErrorCode code) => code switch
    {
        ErrorCode.AuthFailed or ErrorCode.AlreadyLoggedIn or ErrorCode.UnknownUser or ErrorCode.UserOffline
            or ErrorCode.RateLimited or ErrorCode.MessageTooLong or ErrorCode.InvalidUserName
            or ErrorCode.RegistrationDisabled or ErrorCode.UserExists => false,
        // Every v3 error answers one request; the session goes on.
        >= ErrorCode.TooManySessions and <= ErrorCode.CannotLeaveDefault => false,
        _ => true,
    };
}
