namespace LanTalk.Core.Discovery;

/// <summary>
/// What matters for mDNS about one interface that is up (loopback left out): whether it can multicast, and which
/// address families it has. IPv6 counts only beyond link-local, as every IPv6 interface has fe80::.
/// </summary>
public sealed record LinkSummary(string Name, bool Multicast, bool HasIPv4, bool HasIPv6);
