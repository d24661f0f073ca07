using System.Net;
using LanTalk.Core.Discovery;

namespace LanTalk.Server.Discovery;

/// <summary>
/// Our own DNS-SD records and how to answer a query with them (RFC 6762 §6, RFC 6763 §12). Pure: the responder
/// passes in the query and the receiving interface's addresses, so every rule is unit tested without sockets.
/// </summary>
internal sealed record ServiceRecords(string Instance, string HostLabel, int Port, IReadOnlyList<string> Txt)
{
    public string InstanceName => LanTalkService.InstanceFullName(Instance);

    public string HostName => $"{DnsName.Escape(HostLabel)}.local";

    public DnsRecord Ptr(uint ttl = LanTalkService.OtherTtl) => DnsRecord.Ptr(LanTalkService.ServiceType, InstanceName, ttl);

    public DnsRecord Srv(uint ttl = LanTalkService.HostTtl) => DnsRecord.Srv(InstanceName, HostName, (ushort)Port, ttl);

    public DnsRecord TxtRecord(uint ttl = LanTalkService.OtherTtl) => DnsRecord.Txt(InstanceName, Txt, ttl);

    public static DnsRecord TypeEnumeration(uint ttl = LanTalkService.OtherTtl) => DnsRecord.Ptr(LanTalkService.AllServiceTypes, LanTalkService.ServiceType, ttl);

    /// <summary>
    /// The chat listener's address (ListenAddress): :: serves every address, 0.0.0.0 every IPv4 address, one address
    /// only itself. Null is the same as ::. With ListenAddress fd28::11 the server announced the interface's IPv4
    /// address too, and a client that connected there was refused (an outside discovery audit, 2026-12-06).
    /// </summary>
    public IPAddress? Listen { get; init; }

    public IEnumerable<DnsRecord> Addresses(IEnumerable<IPAddress> addresses, uint ttl = LanTalkService.HostTtl) =>
        Served(addresses).Select(a => DnsRecord.Host(HostName, a, ttl));

    /// <summary>Those of an interface's <paramref name="addresses"/> a client can reach the chat port on; link-local IPv6 never (no scope for the asker).</summary>
    public IReadOnlyList<IPAddress> Served(IEnumerable<IPAddress> addresses) => [.. addresses.Where(a => !a.IsIPv6LinkLocal && Serves(a))];

    private bool Serves(IPAddress address)
    {
        if (Listen is null || Listen.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (Listen.Equals(IPAddress.Any))
        {
            return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        }

        return SameAddress(Listen.IsIPv4MappedToIPv6 ? Listen.MapToIPv4() : Listen, address);
    }

    /// <summary>Everything, for announcements (and with TTL 0, for goodbyes).</summary>
    public DnsMessage Announcement(IReadOnlyList<IPAddress> addresses, bool goodbye = false)
    {
        uint Ttl(uint normal) => goodbye ? 0 : normal;
        return new DnsMessage
        {
            IsResponse = true,
            Authoritative = true,
            Answers = [Ptr(Ttl(LanTalkService.OtherTtl)), Srv(Ttl(LanTalkService.HostTtl)), TxtRecord(Ttl(LanTalkService.OtherTtl)),
                       TypeEnumeration(Ttl(LanTalkService.OtherTtl)), .. Addresses(addresses, Ttl(LanTalkService.HostTtl))],
        };
    }

    /// <summary>Goodbyes (TTL 0, RFC 6762 §10.1) for the address records of <paramref name="gone"/> only: the service stays.</summary>
    public DnsMessage AddressGoodbye(IReadOnlyList<IPAddress> gone) => new()
    {
        IsResponse = true,
        Authoritative = true,
        Answers = [.. Addresses(gone, 0)],
    };

    /// <summary>A probe (RFC 6762 §8.1): "does anyone own these names?", with our proposed records in the authority section.</summary>
    public DnsMessage Probe(IReadOnlyList<IPAddress> addresses) => new()
    {
        Questions = [new DnsQuestion(InstanceName, DnsType.Any, UnicastResponse: true), new DnsQuestion(HostName, DnsType.Any, UnicastResponse: true)],
        Authorities = [Srv(), TxtRecord(), .. Addresses(addresses)],
    };

    /// <summary>
    /// Which of our unique names <paramref name="message"/>, a response, claims with different data: another host
    /// already uses that name (RFC 6762 §9). Our own packets, looped back, carry identical data and are no conflict.
    /// Per name: a server that merely shares our DiscoveryName conflicts on the instance only, and our host name stays;
    /// both were renamed on any conflict, so the machine's own NAME.local stopped resolving (an outside audit, 2026-12-06).
    /// </summary>
    public NameConflict ConflictsWith(DnsMessage message, IReadOnlyList<IPAddress> ourAddresses)
    {
        var conflict = NameConflict.None;
        if (!message.IsResponse)
        {
            return conflict;
        }

        foreach (var record in message.AllRecords)
        {
            if (record.Ttl == 0)
            {
                continue;
            }

            if (DnsName.Same(record.Name, InstanceName) && record.Type == DnsType.Srv
                && (record.Port != Port || !DnsName.Same(record.Target, HostName)))
            {
                conflict |= NameConflict.Instance;
            }

            // Ours compared without the IPv6 scope: a link-local address read off the wire has none, and ours carry the
            // interface's, so avahi on this same host answering our probe with our own fe80:: address was taken for
            // another host and the server renamed itself "HOST (2)" (an ops audit, 2026-12-05).
            if (DnsName.Same(record.Name, HostName) && record.Type is DnsType.A or DnsType.Aaaa
                && record.Address is { } address && !ourAddresses.Any(a => SameAddress(a, address)))
            {
                conflict |= NameConflict.Host;
            }
        }

        return conflict;
    }

    private static bool SameAddress(IPAddress a, IPAddress b) =>
        a.AddressFamily == b.AddressFamily && a.GetAddressBytes().AsSpan().SequenceEqual(b.GetAddressBytes());

    /// <summary>
    /// RFC 6762 §8.2 simultaneous probe tie-break: another host probes for one of our names at the same time.
    /// Both sides compare their proposed records for the name (sorted by class, type, then raw data); the
    /// lexicographically later set wins, and the loser picks a new name for that name only. Our own probe, looped
    /// back, is identical and decides nothing.
    /// </summary>
    public NameConflict LosesTiebreak(DnsMessage probe, IReadOnlyList<IPAddress> ourAddresses)
    {
        var lost = NameConflict.None;
        if (probe.IsResponse || probe.Authorities.Count == 0)
        {
            return lost;
        }

        var ours = Probe(ourAddresses).Authorities;
        foreach (var (name, conflict) in new[] { (InstanceName, NameConflict.Instance), (HostName, NameConflict.Host) })
        {
            var theirs = probe.Authorities.Where(r => DnsName.Same(r.Name, name) && IsWritable(r)).ToList();
            if (theirs.Count > 0 && Compare(Sorted(theirs), Sorted(ours.Where(r => DnsName.Same(r.Name, name)))) > 0)
            {
                lost |= conflict;
            }
        }

        return lost;
    }

    private static bool IsWritable(DnsRecord r) => r.Type is DnsType.A or DnsType.Aaaa or DnsType.Ptr or DnsType.Srv or DnsType.Txt
        && (r.Type is DnsType.Txt || r.Target is not null || r.Address is not null);

    private static List<(int Type, byte[] Data)> Sorted(IEnumerable<DnsRecord> records) =>
        [.. records.Select(r => ((int)r.Type, DnsMessageWriter.RecordData(r))).Order(Comparer<(int Type, byte[] Data)>.Create(CompareRecord))];

    private static int CompareRecord((int Type, byte[] Data) a, (int Type, byte[] Data) b) =>
        a.Type != b.Type ? a.Type.CompareTo(b.Type) : a.Data.AsSpan().SequenceCompareTo(b.Data);

    /// <summary>Pairwise in sorted order; the first difference decides, and when one set runs out first the longer one is later.</summary>
    private static int Compare(List<(int Type, byte[] Data)> theirs, List<(int Type, byte[] Data)> ours)
    {
        for (int i = 0; i < Math.Min(theirs.Count, ours.Count); i++)
        {
            int c = CompareRecord(theirs[i], ours[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return theirs.Count.CompareTo(ours.Count);
    }

    /// <summary>
    /// The answer to a query, or null when it asks nothing of ours. <paramref name="addresses"/> are the addresses
    /// of the interface the query came in on. Known answers the asker already holds with at least half their TTL
    /// left are left out (RFC 6762 §7.1).
    /// </summary>
    public DnsMessage? Answer(DnsMessage query, IReadOnlyList<IPAddress> addresses)
    {
        if (query.IsResponse || query.Opcode != 0)
        {
            return null;
        }

        var answers = new List<DnsRecord>();
        var additionals = new List<DnsRecord>();
        foreach (var question in query.Questions)
        {
            bool any = question.Type == DnsType.Any;
            if (DnsName.Same(question.Name, LanTalkService.ServiceType) && (any || question.Type == DnsType.Ptr))
            {
                answers.Add(Ptr());
                // RFC 6763 §12.1: the SRV, TXT and addresses go along, saving the browser two round trips.
                additionals.AddRange([Srv(), TxtRecord(), .. Addresses(addresses)]);
            }
            else if (DnsName.Same(question.Name, LanTalkService.AllServiceTypes) && (any || question.Type == DnsType.Ptr))
            {
                answers.Add(TypeEnumeration());
            }
            else if (DnsName.Same(question.Name, InstanceName))
            {
                if (any || question.Type == DnsType.Srv)
                {
                    answers.Add(Srv());
                    additionals.AddRange(Addresses(addresses));
                }

                if (any || question.Type == DnsType.Txt)
                {
                    answers.Add(TxtRecord());
                }
            }
            else if (DnsName.Same(question.Name, HostName))
            {
                var own = Addresses(addresses).Where(r => any || r.Type == question.Type).ToList();
                answers.AddRange(own);
            }
        }

        answers = [.. answers.Where(a => !KnownToAsker(query, a)).DistinctBy(Key)];
        if (answers.Count == 0)
        {
            return null;
        }

        additionals = [.. additionals.Where(a => !answers.Any(b => Key(b) == Key(a))).DistinctBy(Key)];
        return new DnsMessage { IsResponse = true, Authoritative = true, Answers = answers, Additionals = additionals };
    }

    /// <summary>RFC 6762 §6.7: a legacy unicast answer echoes id and questions, caps TTLs at 10 s, and sets no cache-flush bit.</summary>
    public static DnsMessage ForLegacyUnicast(DnsMessage answer, DnsMessage query) => answer with
    {
        Id = query.Id,
        Questions = query.Questions,
        Answers = [.. answer.Answers.Select(Legacy)],
        Additionals = [.. answer.Additionals.Select(Legacy)],
    };

    private static DnsRecord Legacy(DnsRecord record) => record with { Ttl = Math.Min(record.Ttl, 10u), CacheFlush = false };

    private static bool KnownToAsker(DnsMessage query, DnsRecord ours) =>
        query.Answers.Any(k => Key(k) == Key(ours) && k.Ttl >= ours.Ttl / 2);

    private static string Key(DnsRecord r) => $"{r.Name.ToLowerInvariant()}|{r.Type}|{r.Target?.ToLowerInvariant()}|{r.Port}|{r.Address}|{string.Join('\u0001', r.Text)}";
}
