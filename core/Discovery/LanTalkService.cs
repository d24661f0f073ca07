using System.Globalization;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Discovery;

/// <summary>
/// How a LanTalk server is described in DNS-SD (RFC 6763): the service type, and the TXT keys both ends agree on.
/// </summary>
public static class LanTalkService
{
    /// <summary>The service type browsed and announced; "_tcp" because the chat runs over TCP.</summary>
    public const string ServiceType = "_lantalk._tcp.local";

    /// <summary>RFC 6763 §9: browsing this name lists every service type on the link.</summary>
    public const string AllServiceTypes = "_services._dns-sd._udp.local";

    public const int MdnsPort = 5353;

    /// <summary>RFC 6762 §10: 120 s for records naming a host (A, AAAA, SRV), 75 minutes for the others.</summary>
    public const uint HostTtl = 120;

    public const uint OtherTtl = 4500;

    // TXT keys (RFC 6763 §6): short, lower case, key=value.
    public const string KeyTxtVersion = "txtvers";
    public const string KeyProtocol = "proto";
    public const string KeyTls = "tls";
    public const string KeyFingerprint = "fp";
    public const string KeyPin = "pin";

    public static string InstanceFullName(string instance) => $"{DnsName.Escape(instance)}.{ServiceType}";

    /// <summary>The TXT strings a server announces. The fingerprint is only sent with TLS on.</summary>
    public static IReadOnlyList<string> TxtFor(bool tls, string? fingerprint, bool pinOnFirstUse)
    {
        var text = new List<string>
        {
            $"{KeyTxtVersion}=1",
            $"{KeyProtocol}={ProtocolLimits.CurrentVersion.ToString(CultureInfo.InvariantCulture)}",
            $"{KeyTls}={(tls ? "on" : "off")}",
        };
        if (tls && fingerprint is not null)
        {
            text.Add($"{KeyFingerprint}={fingerprint}");
            text.Add($"{KeyPin}={(pinOnFirstUse ? "auto" : "ask")}");
        }

        return text;
    }

    /// <summary>TXT strings as key/value pairs; RFC 6763 §6.4: keys are case-insensitive and the first of a key wins.</summary>
    public static IReadOnlyDictionary<string, string> ParseTxt(IEnumerable<string> text)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string entry in text)
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? entry : entry[..equals];
            if (key.Length > 0)
            {
                pairs.TryAdd(key, equals < 0 ? string.Empty : entry[(equals + 1)..]);
            }
        }

        return pairs;
    }
}
