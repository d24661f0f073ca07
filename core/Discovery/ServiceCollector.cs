using System.Net;

namespace LanTalk.Core.Discovery;

/// <summary>
/// Gathers the records of mDNS responses into <see cref="DiscoveredServer"/>s: PTR names the instances, SRV gives
/// host and port, TXT the details, A/AAAA the addresses. Pure (no sockets), so it is unit tested directly. A record
/// with TTL 0 is a goodbye and removes what it names. Bounded: a flood of fake instances stops at <see cref="MaxServers"/>.
/// <para>
/// Records are kept per responder (the packet's source address), and a server's SRV, TXT and addresses all come from
/// one responder. Two hosts answering for one instance name (a spoofer, or an implementation that does not probe)
/// were merged into one entry with one host's address and the other's fingerprint (an outside discovery audit,
/// 2026-12-06). Responders that say the same thing (one server answering on two interfaces) make one entry with
/// both addresses; responders that differ make one entry each, all marked <see cref="DiscoveredServer.Conflict"/>.
/// </para>
/// </summary>
public sealed class ServiceCollector(string serviceType = LanTalkService.ServiceType)
{
    /// <summary>More LanTalk servers than anyone could pick from; the rest of a flood is ignored.</summary>
    public const int MaxServers = 64;

    /// <summary>Source addresses kept; more in one browse is a flood, and the rest is ignored.</summary>
    private const int MaxResponders = 64;

    private readonly Dictionary<string, ResponderRecords> _responders = new(StringComparer.Ordinal);

    /// <param name="message">A packet received.</param>
    /// <param name="source">Who sent it; null when unknown (records given with no source count as one responder).</param>
    public void Add(DnsMessage message, IPAddress? source = null)
    {
        if (!message.IsResponse || message.Opcode != 0 || message.ResponseCode != 0)
        {
            return;
        }

        foreach (var record in message.AllRecords)
        {
            Add(record, source);
        }
    }

    public void Add(DnsRecord record, IPAddress? source = null)
    {
        string key = source?.ToString() ?? string.Empty;
        if (!_responders.TryGetValue(key, out var responder))
        {
            if (_responders.Count >= MaxResponders)
            {
                return;
            }

            _responders[key] = responder = new ResponderRecords(serviceType);
        }

        responder.Add(record);
    }

    /// <summary>Instances whose SRV record has arrived with a port, with whatever TXT and addresses the same responder sent.</summary>
    public IReadOnlyList<DiscoveredServer> Servers()
    {
        var servers = new List<DiscoveredServer>();
        foreach (var (fullName, instance) in AllInstances())
        {
            // One view per responder that sent an SRV for the instance; views that agree on host, port and TXT are one server.
            var views = new List<(string Key, DiscoveredServer Server)>();
            foreach (var responder in _responders.Values)
            {
                // Port 0 is DNS-SD's placeholder for "no service runs here" (RFC 6763 §8): offered as a server, it was
                // tried and failed with an error about port '0' the user never typed (a discovery audit, 2026-12-06).
                if (!responder.Srv.TryGetValue(fullName, out var srv) || srv.Target is null || srv.Port == 0)
                {
                    continue;
                }

                string host = srv.Target.TrimEnd('.');
                var text = responder.Txt.TryGetValue(fullName, out var t) ? t.Text : [];
                string key = $"{host.ToLowerInvariant()}|{srv.Port}|{string.Join('\u0001', text)}";
                int same = views.FindIndex(v => v.Key == key);
                if (same >= 0)
                {
                    var merged = views[same].Server;
                    views[same] = (key, merged with { Addresses = [.. merged.Addresses.Union(responder.AddressesOf(host))] });
                    continue;
                }

                views.Add((key, new DiscoveredServer(instance, host, srv.Port, [.. responder.AddressesOf(host)], LanTalkService.ParseTxt(text))));
            }

            servers.AddRange(views.Select(v => views.Count > 1 ? v.Server with { Conflict = true } : v.Server));
        }

        return [.. servers.OrderBy(s => s.Instance, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.ConnectHost, StringComparer.Ordinal).Take(MaxServers)];
    }

    /// <summary>Instances named by PTR whose SRV has not arrived yet: the browser asks for these.</summary>
    public IReadOnlyList<string> Unresolved() =>
        [.. AllInstances().Keys.Where(n => !_responders.Values.Any(r => r.Srv.ContainsKey(n)))];

    /// <summary>SRV targets for which the responder that named them gave no address yet.</summary>
    public IReadOnlyList<string> HostsWithoutAddress() =>
        [.. _responders.Values.SelectMany(r => r.Srv.Values.Select(s => s.Target?.TrimEnd('.')).OfType<string>().Where(h => r.AddressesOf(h).Count == 0))
            .Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Addresses learnt for a host name from every responder (used to resolve NAME.local).</summary>
    public IReadOnlyList<IPAddress> AddressesOf(string host) => [.. _responders.Values.SelectMany(r => r.AddressesOf(host)).Distinct()];

    /// <summary>Every instance some responder named by PTR, bounded as one responder's are.</summary>
    private Dictionary<string, string> AllInstances()
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (fullName, instance) in _responders.Values.SelectMany(r => r.Instances))
        {
            if (all.Count >= MaxServers)
            {
                break;
            }

            all.TryAdd(fullName, instance);
        }

        return all;
    }
}
