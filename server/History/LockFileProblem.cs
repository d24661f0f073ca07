namespace LanTalk.Server.History;

/// <summary>
/// A lock file's path holding something that is not a file (a directory, a FIFO...): no lock can be taken there, and
/// the open failed with "access denied", which sent operators to fix permissions that were fine, while a directory
/// named lantalk-server.lock let a second server run on the same data directory (fault injection, 2026-12-04). A
/// symbolic link is refused too: the lock was taken on the file it led to, and a link to Users.xml then made reading
/// the accounts fail with "being used by another process", naming Users.xml and not the link (the same, later).
/// </summary>
internal static class LockFileProblem
{
    /// <summary>The sentence for <paramref name="lockPath"/> when it is not a file, else null.</summary>
    public static string? Describe(string lockPath) => (FileKind.DescribeIfNotAFile(lockPath) ?? FileKind.DescribeIfNotRegular(lockPath)) is { } kind
        ? $"{lockPath} is {kind}, not a lock file, so no lock can be taken there. Remove it (the server makes the lock file itself), then start again"
        : null;
}
