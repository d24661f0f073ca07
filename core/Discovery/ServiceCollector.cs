using System.Net;

namespace LanTalk.Core.Discovery;

/// <summary>
/// Gathers the records of mDNS responses into <see cref="DiscoveredServer"/>s: PTR names the instances, SRV gives
/// host and port, TXT the details, A/AAAA the addresses. Pure (no sockets), so it is unit tested directly. A record
/// with TTL 0 is a goodbye and removes what it names. Bounded: a flood of fake instances stops at <see cref="MaxServers"/>.
/// </summary>
public sealed class ServiceCollector(string serviceType = LanTalkService.ServiceType)
{
    /// <summary>More LanTalk servers than anyone could pick from; the rest of a flood is ignored.</summary>
    public const int MaxServers = 64;

    private const int MaxAddressesPerHost = 16;

    private readonly Dictionary<string, string> _instances = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DnsRecord> _srv = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DnsRecord> _txt = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<IPAddress>> _addresses = new(StringComparer.OrdinalIgnoreCase);

    public void Add(DnsMessage message)
    {
        if (!message.IsResponse || message.Opcode != 0 || message.ResponseCode != 0)
        {
            return;
        }

        foreach (var record in message.AllRecords)
        {
            Add(record);
        }
    }

    public void Add(DnsRecord record)
    {
        string name = record.Name.TrimEnd('.');
        bool goodbye = record.Ttl == 0;
        switch (record.Type)
        {
            case DnsType.Ptr when DnsName.Same(name, serviceType) && record.Target is { } target:
                if (goodbye)
                {
                    _instances.Remove(target.TrimEnd('.'));
                }
                else if (_instances.Count < MaxServers)
                {
                    _instances[target.TrimEnd('.')] = DnsName.FirstLabel(target);
                }

                break;
            case DnsType.Srv when IsOurType(name):
                Keep(_srv, name, record, goodbye);
                break;
            case DnsType.Txt when IsOurType(name):
                Keep(_txt, name, record, goodbye);
                break;
            case DnsType.A or DnsType.Aaaa when record.Address is { } address:
                if (!_addresses.TryGetValue(name, out var list))
                {
                    if (goodbye || _addresses.Count >= MaxServers * 2)
                    {
                        break;
                    }

                    _addresses[name] = list = [];
                }

                if (goodbye)
                {
                    list.Remove(address);
                }
                else if (!list.Contains(address) && list.Count < MaxAddressesPerHost)
                {
                    list.Add(address);
                }

                break;
        }
    }

    /// <summary>Instances whose SRV record has arrived with a port, with whatever TXT and addresses came with them.</summary>
    public IReadOnlyList<DiscoveredServer> Servers()
    {
        var servers = new List<DiscoveredServer>();
        foreach (var (fullName, instance) in _instances)
        {
            // Port 0 is DNS-SD's placeholder for "no service runs here" (RFC 6763 §8): offered as a server, it was
            // tried and failed with an error about port '0' the user never typed (a discovery audit, 2026-12-06).
            if (!_srv.TryGetValue(fullName, out var srv) || srv.Target is null || srv.Port == 0)
            {
                continue;
            }

            string host = srv.Target.TrimEnd('.');
            var txt = _txt.TryGetValue(fullName, out var t) ? LanTalkService.ParseTxt(t.Text) : new Dictionary<string, string>();
            var addresses = _addresses.TryGetValue(host, out var list) ? list.ToArray() : [];
            servers.Add(new DiscoveredServer(instance, host, srv.Port, addresses, txt));
        }

        return [.. servers.OrderBy(s => s.Instance, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Instances named by PTR whose SRV has not arrived yet: the browser asks for these.</summary>
    public IReadOnlyList<string> Unresolved() => [.. _instances.Keys.Where(n => !_srv.ContainsKey(n))];

    /// <summary>SRV targets with no address yet.</summary>
    public IReadOnlyList<string> HostsWithoutAddress() =>
        [.. _srv.Values.Select(s => s.Target?.TrimEnd('.')).OfType<string>().Where(h => !_addresses.ContainsKey(h)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Addresses learnt for any host name (used to resolve NAME.local).</summary>
    public IReadOnlyList<IPAddress> AddressesOf(string host) => _addresses.TryGetValue(host.TrimEnd('.'), out var list) ? list : [];

    private bool IsOurType(string name) => name.EndsWith("." + serviceType, StringComparison.OrdinalIgnoreCase);

    private static void Keep(Dictionary<string, DnsRecord> map, string name, DnsRecord record, bool goodbye)
    {
        if (goodbye)
        {
            map.Remove(name);
        }
        else if (map.ContainsKey(name) || map.Count < MaxServers * 2)
        {
            map[name] = record;
        }
    }
}
