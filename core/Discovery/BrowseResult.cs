namespace LanTalk.Core.Discovery;

/// <summary>What one browse found, and whether any mDNS answer reached this host at all.</summary>
public sealed record BrowseResult(IReadOnlyList<DiscoveredServer> Servers, int AnswersReceived, IReadOnlyList<string> Interfaces, string? Problem);
