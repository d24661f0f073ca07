namespace LanTalk.Core.Discovery;

/// <summary>What one browse found, and whether any mDNS answer reached this host at all.</summary>
public sealed record BrowseResult(IReadOnlyList<DiscoveredServer> Servers, int AnswersReceived, IReadOnlyList<string> Interfaces, string? Problem)
{
    /// <summary>
    /// True when no query could go out at all (no interface mDNS runs on): the cause is on this host, <see cref="Problem"/>
    /// says which, and the usual suspects (another subnet, a firewall, Discovery Off) are not it.
    /// </summary>
    public bool HostCannotBrowse { get; init; }
}
