namespace LanTalk.Server.Net;

/// <summary>How a login attempt that reached the password check ended.</summary>
internal enum LoginOutcome
{
    /// <summary>Verified and admitted to the roster.</summary>
    Admitted,

    /// <summary>Refused with an Error the client hears (AuthFailed, AlreadyLoggedIn, ServerFull, ...).</summary>
    Refused,

    /// <summary>The connection closed before the login could be admitted; nobody hears the answer and nothing joins.</summary>
    Abandoned,
}
