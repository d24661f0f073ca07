namespace LanTalk.Server.History;

/// <summary>
/// A lock file's path holding something that is not a file (a directory, a FIFO...): no lock can be taken there, and
/// the open failed with "access denied", which sent operators to fix permissions that were fine, while a directory
/// named lantalk-server.lock let a second server run on the same data directory (fault injection, 2026-12-04).
/// </summary>
internal static class LockFileProblem
{
    /// <summary>The sentence for <paramref name="lockPath"/> when it is not a file, else null.</summary>
    public static string? Describe(string lockPath) => FileKind.DescribeIfNotAFile(lockPath) is { } kind
        ? $"{lockPath} is {kind}, not a lock file, so no lock can be taken there. Remove it (the server makes the lock file itself), then start again"
        : null;
}
