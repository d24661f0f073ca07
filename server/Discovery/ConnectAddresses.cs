using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LanTalk.Server.Discovery;

/// <summary>
/// The "Clients can connect to" lines printed at start, one per interface, as Vite and Jupyter print their
/// network URLs: the operator can read the address off the console instead of looking it up.
/// </summary>
internal static class ConnectAddresses
{
    /// <param name="listen">The listen address: any (:: or 0.0.0.0) means every interface; one address means only that one.</param>
    /// <param name="mdnsHost">NAME.local when discovery answers for it, else null.</param>
    public static IReadOnlyList<string> Lines(IPAddress listen, int port, string? mdnsHost)
    {
        string suffix = port == 65534 ? string.Empty : $":{port}";
        string or = mdnsHost is null ? string.Empty : $"  (or {mdnsHost}{suffix})";
        var lines = new List<string>();
        bool any = listen.Equals(IPAddress.IPv6Any) || listen.Equals(IPAddress.Any);
        if (!any)
        {
            lines.Add($"Clients can connect to: lantalk {Host(listen)}{suffix}");
            return lines;
        }

        foreach (var (name, address) in Interfaces())
        {
            lines.Add($"Clients can connect to: lantalk {Host(address)}{suffix}{or}   [{name}]");
        }

        if (lines.Count == 0)
        {
            lines.Add($"Clients can connect to: lantalk localhost{suffix}   (no LAN interface is up; only this machine can connect)");
        }

        return lines;
    }

    private static string Host(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    private static IEnumerable<(string Name, IPAddress Address)> Interfaces()
    {
        NetworkInterface[] all;
        try
        {
            all = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            yield break;
        }

        foreach (var nic in all.Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown && n.NetworkInterfaceType != NetworkInterfaceType.Loopback))
        {
            // One line per interface: its first IPv4 address, which is what people type; IPv6-only interfaces show their global address.
            var addresses = nic.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToArray();
            var pick = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal);
            if (pick is not null)
            {
                yield return (nic.Name, pick);
            }
        }
    }
}
