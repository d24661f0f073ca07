using System.Net;
using System.Net.NetworkInformation;
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

/// <summary>The interfaces mDNS runs on. Loopback is left out: mDNS is for the LAN, and lo has no multicast flag on Linux.</summary>
public static class MulticastInterfaces
{
    public static IReadOnlyList<MulticastInterface> Current()
    {
        var result = new List<MulticastInterface>();
        NetworkInterface[] all;
        try
        {
            all = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return result;
        }

        foreach (var nic in all)
        {
            if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown)
                || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback
                || !nic.SupportsMulticast)
            {
                continue;
            }

            IPInterfaceProperties properties;
            int index;
            try
            {
                properties = nic.GetIPProperties();
                index = properties.GetIPv4Properties()?.Index ?? -1;
            }
            catch (NetworkInformationException)
            {
                continue;
            }

            var v4Info = properties.UnicastAddresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork).ToArray();
            var v4 = v4Info.Select(a => a.Address).ToArray();
            var v6 = properties.UnicastAddresses.Select(a => a.Address).Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToArray();
            if (v4.Length > 0 && index >= 0)
            {
                result.Add(new MulticastInterface(nic.Name, index, v4, v6) { IPv4Prefixes = [.. v4Info.Select(a => a.PrefixLength)] });
            }
        }

        return result;
    }
}
