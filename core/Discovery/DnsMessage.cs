namespace LanTalk.Core.Discovery;

/// <summary>A DNS message as mDNS uses it: header id and flags, then the four sections.</summary>
public sealed record DnsMessage
{
    /// <summary>0 for multicast; a legacy unicast query's id is echoed in its answer (RFC 6762 §6.7).</summary>
    public ushort Id { get; init; }

    public bool IsResponse { get; init; }

    /// <summary>The AA bit: every mDNS response sets it (RFC 6762 §18.4).</summary>
    public bool Authoritative { get; init; }

    /// <summary>Opcode and rcode must be 0 in mDNS (RFC 6762 §18.3, §18.11); anything else is ignored by both ends.</summary>
    public int Opcode { get; init; }

    public int ResponseCode { get; init; }

    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];

    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];

    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];

    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];

    /// <summary>Answers and additional records together: a browser reads both the same way.</summary>
    public IEnumerable<DnsRecord> AllRecords => Answers.Concat(Additionals);
}
