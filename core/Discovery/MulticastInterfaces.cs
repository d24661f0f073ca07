using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LanTalk.Core.Discovery;

/// <summary>One network interface that can carry mDNS: up, multicast-capable, with its addresses.</summary>
public sealed record MulticastInterface(string Name, int Index, IReadOnlyList<IPAddress> IPv4, IReadOnlyList<IPAddress> IPv6);

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

            var v4 = properties.UnicastAddresses.Select(a => a.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToArray();
            var v6 = properties.UnicastAddresses.Select(a => a.Address).Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToArray();
            if (v4.Length > 0 && index >= 0)
            {
                result.Add(new MulticastInterface(nic.Name, index, v4, v6));
            }
        }

        return result;
    }
}
