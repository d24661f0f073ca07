namespace LanTalk.Core.Discovery;

/// <summary>The DNS record types the LanTalk responder and browser use (RFC 1035, 2782, 3596, 4034); others pass through as raw data.</summary>
public enum DnsType : ushort
{
    A = 1,
    Ptr = 12,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Nsec = 47,
    Any = 255,
}
