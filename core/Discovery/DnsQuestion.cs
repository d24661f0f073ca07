namespace LanTalk.Core.Discovery;

/// <summary>
/// One question. <see cref="UnicastResponse"/> is mDNS's QU bit (the top bit of the class, RFC 6762 §5.4):
/// the asker would like a unicast answer.
/// </summary>
public sealed record DnsQuestion(string Name, DnsType Type, bool UnicastResponse = false)
{
    public override string ToString() => $"{Name} {Type}{(UnicastResponse ? " QU" : string.Empty)}";
}
