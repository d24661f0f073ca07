using LanTalk.Client.Connection;

namespace LanTalk.Client.Settings;

/// <summary>
/// The rooms one user was in on one server at the last exit (v3), rejoined on the next connect there and nowhere
/// else: another server or user has other rooms, and joining one of these names there would create it.
/// </summary>
internal sealed record RememberedRooms(string Host, int Port, string User, IReadOnlyList<string> Rooms)
{
    /// <summary>Host and user names ignore case, as the archive folders do.</summary>
    public bool IsFor(ServerAddress server, string user) =>
        string.Equals(Host, server.Host, StringComparison.OrdinalIgnoreCase)
        && Port == server.Port
        && string.Equals(User.Trim(), user.Trim(), StringComparison.OrdinalIgnoreCase);
}
