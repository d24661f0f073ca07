using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Security;

namespace LanTalk.Core.Discovery;

/// <summary>A LanTalk server found on the LAN: its instance name, where it runs, and what its TXT record says.</summary>
public sealed record DiscoveredServer(string Instance, string HostName, int Port, IReadOnlyList<IPAddress> Addresses, IReadOnlyDictionary<string, string> Txt)
{
    public int? ProtocolVersion => Txt.TryGetValue(LanTalkService.KeyProtocol, out string? v)
        && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;

    /// <summary>True with TLS, false without, null when the TXT record does not say.</summary>
    public bool? Tls => Txt.TryGetValue(LanTalkService.KeyTls, out string? v) ? v switch { "on" => true, "off" => false, _ => null } : null;

    /// <summary>
    /// Another responder answered for the same instance name with other records (host, port or TXT): this entry is one of
    /// them, each kept whole. Anyone on the link can answer for any name, so which one is the real server is not known.
    /// </summary>
    public bool Conflict { get; init; }

    /// <summary>The announced certificate fingerprint, normalised; null when absent or not a SHA-256 fingerprint.</summary>
    public string? Fingerprint => Txt.TryGetValue(LanTalkService.KeyFingerprint, out string? v) ? CertificateFingerprint.Normalize(v) : null;

    /// <summary>The operator lets clients trust the announced fingerprint on first use without asking.</summary>
    public bool PinOnFirstUse => Txt.TryGetValue(LanTalkService.KeyPin, out string? v) && v == "auto";

    /// <summary>What to connect to: an IPv4 address when there is one (always routable on the link), else IPv6, else the host name.</summary>
    public string ConnectHost =>
        (Addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
         ?? Addresses.FirstOrDefault(a => !a.IsIPv6LinkLocal))?.ToString()
        ?? HostName.TrimEnd('.');

    public override string ToString() => $"{Instance} at {ConnectHost}:{Port} ({HostName})";
}
