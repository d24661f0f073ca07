namespace LanTalk.Server.Rooms;

/// <summary>
/// Told of users going online (first session in) or offline (last session out), server-wide and regardless of shared
/// rooms: IRC's MONITOR, which like ISON and WHOIS answers for any user. Called once per presence batch, outside the
/// registry's lock, before the batch's frames are queued.
/// </summary>
internal interface IPresenceWatch
{
    /// <summary>Whether anyone watches at all; when not, the registry builds no lists for it.</summary>
    bool Watching { get; }

    void UsersChanged(IReadOnlyList<string> online, IReadOnlyList<string> offline);
}
