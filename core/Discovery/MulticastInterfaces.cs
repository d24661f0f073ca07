using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LanTalk.Core.Discovery;

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

    /// <summary>Why <see cref="Current"/> is empty here, in words for the user.</summary>
    public static string WhyNone()
    {
        var up = new List<LinkSummary>();
        NetworkInterface[] all;
        try
        {
            all = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return WhyNone(up);
        }

        foreach (var nic in all.Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown && n.NetworkInterfaceType != NetworkInterfaceType.Loopback))
        {
            try
            {
                var properties = nic.GetIPProperties();
                var addresses = properties.UnicastAddresses.Select(a => a.Address).ToArray();
                up.Add(new LinkSummary(nic.Name, nic.SupportsMulticast,
                    addresses.Any(a => a.AddressFamily == AddressFamily.InterNetwork) && properties.GetIPv4Properties() is not null,
                    addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)));
            }
            catch (NetworkInformationException)
            {
                // Gone while we looked: as if it were down.
            }
        }

        return WhyNone(up);
    }

    /// <summary>
    /// Why none of <paramref name="up"/> carries mDNS. The cause, not a guess: an IPv6-only host was told it had "no
    /// network interface with multicast up (only loopback?)", and then to check firewalls and subnets (a discovery audit, 2026-12-06).
    /// </summary>
    public static string WhyNone(IReadOnlyList<LinkSummary> up)
    {
        var multicast = up.Where(l => l.Multicast).ToList();
        if (multicast.Where(l => l.HasIPv6 && !l.HasIPv4).Select(l => l.Name).ToList() is { Count: > 0 } ipv6Only)
        {
            return $"no interface has an IPv4 address ({string.Join(", ", ipv6Only)}: IPv6 only), and discovery uses IPv4 multicast only";
        }

        if (multicast.Where(l => !l.HasIPv4).Select(l => l.Name).ToList() is { Count: > 0 } noAddress)
        {
            return $"no interface has an IPv4 address yet ({string.Join(", ", noAddress)} is up without one), and discovery uses IPv4 multicast only";
        }

        if (up.Count > 0)
        {
            return $"no interface can multicast ({string.Join(", ", up.Select(l => l.Name))} is up without the multicast flag)";
        }

        return "no network interface is up besides loopback";
    }
}
