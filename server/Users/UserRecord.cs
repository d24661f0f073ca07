namespace LanTalk.Server.Users;

/// <summary>One account in Users.xml. The password is held only as a PBKDF2-SHA256 hash with its salt and cost.</summary>
public sealed record UserRecord(
    string Name,
    byte[] Salt,
    byte[] Hash,
    int Iterations,
    DateTimeOffset Created,
    DateTimeOffset? LastLogin,
    string? LastLoginAddress)
{
    // Hash material never reaches a log line.
    public override string ToString() => $"{Name} (created {Created:u}, last login {LastLogin?.ToString("u") ?? "never"})";
}
