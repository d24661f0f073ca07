namespace LanTalk.Server.Users;

/// <summary>One account in Users.xml. The password is held only as a PBKDF2-SHA256 hash with its salt and cost.</summary>
/// <param name="Created">When the account was created, as private history and stored messages filter by it (a date in the future is corrected to the moment it was read).</param>
/// <param name="OriginalCreated">The created date before such a correction, null when there was none (see <see cref="IdentityMs"/>).</param>
public sealed record UserRecord(
    string Name,
    byte[] Salt,
    byte[] Hash,
    int Iterations,
    DateTimeOffset Created,
    DateTimeOffset? LastLogin,
    string? LastLoginAddress,
    DateTimeOffset? OriginalCreated = null)
{
    /// <summary>
    /// Which account of this name it is (Unix ms): the created date as `user add` wrote it. A name removed and added
    /// again gets another one. Correcting a created date in the future keeps it: the correction made the server see
    /// every account created while the clock ran ahead as removed and created again (sessions closed with
    /// AccountRemoved, rooms and ownership gone) when the clock was stepped back (fault injection, 2026-12-06).
    /// </summary>
    public long IdentityMs => (OriginalCreated ?? Created).ToUnixTimeMilliseconds();

    // Hash material never reaches a log line.
    public override string ToString() => $"{Name} (created {Created:u}, last login {LastLogin?.ToString("u") ?? "never"})";
}
