using System.Net;
using System.Net.Sockets;

namespace LanTalk.Core.Discovery;

/// <summary>One network interface that can carry mDNS: up, multicast-capable, with its addresses.</summary>
public sealed record MulticastInterface(string Name, int Index, IReadOnlyList<IPAddress> IPv4, IReadOnlyList<IPAddress> IPv6)
{
    /// <summary>IPv4 prefix length of each <see cref="IPv4"/> address, in the same order.</summary>
    public IReadOnlyList<int> IPv4Prefixes { get; init; } = [];

    /// <summary>True when <paramref name="source"/> is on one of this interface's IPv4 subnets (RFC 6762 §11: answer only the link).</summary>
    public bool IsOnLink(IPAddress source)
    {
        if (source.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        uint s = ToUInt(source);
        for (int i = 0; i < IPv4.Count; i++)
        {
            int prefix = i < IPv4Prefixes.Count ? IPv4Prefixes[i] : 32;
            uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
            if ((s & mask) == (ToUInt(IPv4[i]) & mask))
            {
                return true;
            }
        }

        return false;
    }

    private static uint ToUInt(IPAddress address)
    {
        byte[] b = address.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}
