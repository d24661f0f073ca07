using System.Net;
using System.Net.Sockets;

namespace LanTalk.Server.Net;

/// <summary>
/// What the per-address limits count as one address: MaxConnectionsPerAddress, the pre-login budget's per-address
/// share and fairness rule, the failed-login throttle and RegistrationsPerAddress. An IPv4 address (an IPv4-mapped
/// IPv6 one as its IPv4 address) and ::1 are each their own group; any other IPv6 address counts as its /64, since
/// a host given a /64 can use as many of its 2^64 addresses as it likes, one per connection, and so had its own share
/// of every limit per address (a security audit, 2026-12-07).
/// </summary>
/// <remarks>
/// Except on the server's own links: there a /64 is the whole LAN (SLAAC gives every host of the segment an address
/// in it), so grouping it would make every IPv6 user of the LAN share 16 connections, 4 pending logins and one
/// failed-login count. Such an address, and a link-local one (fe80::/64 is the same prefix on every link), stays its
/// own group, as an IPv4 neighbour does; a neighbour flooding from many addresses is what the pre-login budget's
/// eviction of the longest waiting connection answers (<see cref="PendingLogins"/>).
/// </remarks>
internal readonly record struct AddressGroup(IPAddress Key, int PrefixLength)
{
    /// <summary>The prefix an off-link IPv6 address is counted by: one site's (one customer's) network.</summary>
    public const int Ipv6SitePrefix = 64;

    /// <summary>
    /// The group of <paramref name="address"/>; <paramref name="onLink"/> holds the server's own IPv6 networks, whose
    /// addresses are not grouped.
    /// </summary>
    public static AddressGroup Of(IPAddress address, IReadOnlyList<IPNetwork> onLink)
    {
        var peer = PeerAddress.Of(address);
        if (peer.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return new AddressGroup(peer, 32);
        }

        if (IPAddress.IPv6Loopback.Equals(peer) || peer.IsIPv6LinkLocal || peer.IsIPv6SiteLocal || OnLink(peer, onLink))
        {
            return new AddressGroup(peer, 128);
        }

        Span<byte> bytes = stackalloc byte[16];
        peer.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new AddressGroup(new IPAddress(bytes), Ipv6SitePrefix);
    }

    private static bool OnLink(IPAddress address, IReadOnlyList<IPNetwork> onLink)
    {
        foreach (var network in onLink)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>As logs show it: the address, or the prefix as "2001:db8:1:2::/64".</summary>
    public override string ToString() => PrefixLength is 32 or 128 ? Key.ToString() : $"{Key}/{PrefixLength}";
}
