namespace LanTalk.Core.Discovery;

/// <summary>
/// Bounds on what the reader accepts. mDNS packets come from anyone on the LAN, so every count and length is
/// checked before it is used, and the work per packet is bounded whatever the packet claims.
/// </summary>
public static class DnsLimits
{
    /// <summary>RFC 6762 §17: an mDNS packet may be up to 9000 bytes (a jumbo Ethernet frame); larger is dropped.</summary>
    public const int MaxPacketBytes = 9000;

    /// <summary>Records in all four sections together. 9000 bytes hold at most ~800 minimal records; real packets carry a few dozen.</summary>
    public const int MaxRecords = 256;

    /// <summary>RFC 1035 §2.3.4: a name is at most 255 bytes on the wire, a label at most 63.</summary>
    public const int MaxNameBytes = 255;

    public const int MaxLabelBytes = 63;

    /// <summary>Compression pointers followed per name. Pointers must also point backwards, so loops are impossible; this caps the work.</summary>
    public const int MaxPointerJumps = 32;
}
