using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LanTalk.Server.Net;

/// <summary>
/// The server's own IPv6 networks (each interface address with its prefix length), whose addresses
/// <see cref="AddressGroup"/> does not group by /64. Read again at most every <see cref="Refresh"/>, from the accept
/// path, so a prefix that changes (a renumbered LAN, a new interface) is seen within that time without a timer.
/// </summary>
internal sealed class OnLinkNetworks(Func<long>? clockMs = null)
{
    /// <summary>How long a reading of the interfaces is used before it is read again.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private readonly Func<long> _clockMs = clockMs ?? (() => Environment.TickCount64);
    private readonly Lock _lock = new();
    private IReadOnlyList<IPNetwork> _networks = [];
    private long _readAt = long.MinValue;

    public IReadOnlyList<IPNetwork> Current
    {
        get
        {
            long now = _clockMs();
            lock (_lock)
            {
                if (_readAt == long.MinValue || now - _readAt >= (long)Refresh.TotalMilliseconds)
                {
                    _networks = Read();
                    _readAt = now;
                }

                return _networks;
            }
        }
    }

    private static IPNetwork[] Read()
    {
        try
        {
            var networks = new List<IPNetwork>();
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    // Link-local and loopback are never grouped anyway; a /0 (a misread length) would cover everyone.
                    if (address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal
                        && !IPAddress.IPv6Loopback.Equals(address) && unicast.PrefixLength is > 0 and <= 128)
                    {
                        networks.Add(Network(address, unicast.PrefixLength));
                    }
                }
            }

            return [.. networks];
        }
        catch (NetworkInformationException)
        {
            // Unreadable: every off-loopback IPv6 address is grouped by /64, the stricter reading.
            return [];
        }
    }

    /// <summary>The network of <paramref name="address"/>, its host bits cleared (IPNetwork refuses them set).</summary>
    internal static IPNetwork Network(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        for (int bit = prefixLength; bit < 128; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefixLength);
    }
}
