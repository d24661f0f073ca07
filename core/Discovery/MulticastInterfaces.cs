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
}
