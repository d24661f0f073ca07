namespace LanTalk.Client.App;

/// <summary>Process exit codes; scripts branch on them, so the numbers never change once released.</summary>
internal enum ExitCode
{
    Ok = 0,

    /// <summary>A general failure, or (for archive search) no match, as grep does.</summary>
    Failure = 1,

    /// <summary>Bad command line or missing input such as the password.</summary>
    Usage = 2,

    /// <summary>Server not reachable: refused, unknown host, timed out, connection lost for good.</summary>
    Unreachable = 3,

    AuthFailed = 4,
    ServerFull = 5,
    VersionMismatch = 6,
    Kicked = 7,
    ServerShutdown = 8,

    /// <summary>The server refused a message: unknown or offline recipient, too long, rate limited.</summary>
    NotDelivered = 9,
}
