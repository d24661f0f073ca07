using System.Net;

namespace LanTalk.Core.Discovery;

/// <summary>
/// One resource record, class IN. Only the fields of its <see cref="Type"/> are set: <see cref="Target"/> for PTR
/// and SRV, <see cref="Port"/>/<see cref="Priority"/>/<see cref="Weight"/> for SRV, <see cref="Text"/> for TXT,
/// <see cref="Address"/> for A and AAAA. <see cref="CacheFlush"/> is mDNS's top bit of the class (RFC 6762 §10.2):
/// this record replaces what caches hold for the name and type.
/// </summary>
public sealed record DnsRecord(string Name, DnsType Type, uint Ttl, bool CacheFlush = false)
{
    public string? Target { get; init; }

    public ushort Port { get; init; }

    public ushort Priority { get; init; }

    public ushort Weight { get; init; }

    public IReadOnlyList<string> Text { get; init; } = [];

    public IPAddress? Address { get; init; }

    /// <summary>For NSEC: the types the owner has (RFC 6762 §6.1 negative answers).</summary>
    public IReadOnlyList<DnsType> Types { get; init; } = [];

    public static DnsRecord Ptr(string name, string target, uint ttl) => new(name, DnsType.Ptr, ttl) { Target = target };

    public static DnsRecord Srv(string name, string target, ushort port, uint ttl) =>
        new(name, DnsType.Srv, ttl, CacheFlush: true) { Target = target, Port = port };

    public static DnsRecord Txt(string name, IReadOnlyList<string> text, uint ttl) => new(name, DnsType.Txt, ttl, CacheFlush: true) { Text = text };

    public static DnsRecord Host(string name, IPAddress address, uint ttl) =>
        new(name, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsType.Aaaa : DnsType.A, ttl, CacheFlush: true) { Address = address };

    public override string ToString() => Type switch
    {
        DnsType.Ptr => $"{Name} PTR {Target} ttl {Ttl}",
        DnsType.Srv => $"{Name} SRV {Target}:{Port} ttl {Ttl}",
        DnsType.Txt => $"{Name} TXT [{string.Join(", ", Text)}] ttl {Ttl}",
        DnsType.A or DnsType.Aaaa => $"{Name} {Type} {Address} ttl {Ttl}",
        _ => $"{Name} type {(ushort)Type} ttl {Ttl}",
    };
}
