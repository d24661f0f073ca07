using System.Net;

namespace LanTalk.Core.Discovery;

/// <summary>
/// The records one responder (one source address) sent: PTR targets, SRV, TXT and host addresses, each bounded. A
/// record with TTL 0 is a goodbye and removes what it names, from this responder only.
/// </summary>
internal sealed class ResponderRecords(string serviceType)
{
    private const int MaxAddressesPerHost = 16;

    public Dictionary<string, string> Instances { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, DnsRecord> Srv { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, DnsRecord> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<IPAddress>> Addresses { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Add(DnsRecord record)
    {
        string name = record.Name.TrimEnd('.');
        bool goodbye = record.Ttl == 0;
        switch (record.Type)
        {
            case DnsType.Ptr when DnsName.Same(name, serviceType) && record.Target is { } target:
                if (goodbye)
                {
                    Instances.Remove(target.TrimEnd('.'));
                }
                else if (Instances.Count < ServiceCollector.MaxServers)
                {
                    Instances[target.TrimEnd('.')] = DnsName.FirstLabel(target);
                }

                break;
            case DnsType.Srv when IsOurType(name):
                Keep(Srv, name, record, goodbye);
                break;
            case DnsType.Txt when IsOurType(name):
                Keep(Txt, name, record, goodbye);
                break;
            case DnsType.A or DnsType.Aaaa when record.Address is { } address:
                AddAddress(name, address, goodbye);
                break;
        }
    }

    /// <summary>The addresses this responder gave for <paramref name="host"/>; empty when none.</summary>
    public IReadOnlyList<IPAddress> AddressesOf(string host) => Addresses.TryGetValue(host.TrimEnd('.'), out var list) ? list : [];

    private void AddAddress(string name, IPAddress address, bool goodbye)
    {
        if (!Addresses.TryGetValue(name, out var list))
        {
            if (goodbye || Addresses.Count >= ServiceCollector.MaxServers * 2)
            {
                return;
            }

            Addresses[name] = list = [];
        }

        if (goodbye)
        {
            list.Remove(address);
        }
        else if (!list.Contains(address) && list.Count < MaxAddressesPerHost)
        {
            list.Add(address);
        }
    }

    private bool IsOurType(string name) => name.EndsWith("." + serviceType, StringComparison.OrdinalIgnoreCase);

    private static void Keep(Dictionary<string, DnsRecord> map, string name, DnsRecord record, bool goodbye)
    {
        if (goodbye)
        {
            map.Remove(name);
        }
        else if (map.ContainsKey(name) || map.Count < ServiceCollector.MaxServers * 2)
        {
            map[name] = record;
        }
    }
}
