using System.Net;
using System.Net.Sockets;

namespace LanTalk.Core.Discovery;

/// <summary>
/// Finds LanTalk servers with one-shot mDNS queries (RFC 6762 §5.1, "legacy unicast" §6.7): the query goes to
/// 224.0.0.251:5353 on every LAN interface from an ephemeral port, and responders answer straight to that port.
/// So the browser needs no privileges and does not compete for port 5353 with avahi or Bonjour on the same host.
/// IPv4 only: every mDNS responder answers over IPv4 too.
/// </summary>
public static class MdnsBrowser
{
    private static readonly IPEndPoint s_group = new(IPAddress.Parse("224.0.0.251"), LanTalkService.MdnsPort);

    public static async Task<BrowseResult> BrowseAsync(TimeSpan duration, string serviceType = LanTalkService.ServiceType, CancellationToken cancellationToken = default)
    {
        var collector = new ServiceCollector(serviceType);
        var (answers, interfaces, problem) = await RunAsync([new DnsQuestion(serviceType, DnsType.Ptr)], collector, duration, stopEarly: null, cancellationToken).ConfigureAwait(false);
        return new BrowseResult(collector.Servers(), answers, interfaces, problem) { HostCannotBrowse = interfaces.Count == 0 };
    }

    /// <summary>
    /// Resolves NAME.local to its addresses by asking for A and AAAA records; empty when nobody answers in time. The
    /// caller tries every address: a server listening on its IPv6 address only was reached at its IPv4 address alone,
    /// and refused (an outside discovery audit, 2026-12-06).
    /// </summary>
    public static async Task<IReadOnlyList<IPAddress>> ResolveHostAsync(string host, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var collector = new ServiceCollector();
        await RunAsync(HostQuestions(host), collector, timeout, () => collector.AddressesOf(host).Count > 0, cancellationToken).ConfigureAwait(false);
        return collector.AddressesOf(host);
    }

    /// <summary>What is asked to resolve <paramref name="host"/>: both address families, in one query.</summary>
    internal static IReadOnlyList<DnsQuestion> HostQuestions(string host) => [new DnsQuestion(host, DnsType.A), new DnsQuestion(host, DnsType.Aaaa)];

    private static async Task<(int Answers, IReadOnlyList<string> Interfaces, string? Problem)> RunAsync(
        IReadOnlyList<DnsQuestion> questions, ServiceCollector collector, TimeSpan duration, Func<bool>? stopEarly, CancellationToken cancellationToken)
    {
        var interfaces = MulticastInterfaces.Current();
        var names = interfaces.Select(i => i.Name).ToArray();
        if (interfaces.Count == 0)
        {
            return (0, names, MulticastInterfaces.WhyNone());
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        // RFC 6762 §11: mDNS packets carry IP TTL 255, so receivers can tell they came from the link.
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
        ushort id = (ushort)Random.Shared.Next(1, 65536);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(duration);
        string? problem = SendAll(socket, interfaces, id, questions);
        int answers = 0;
        var buffer = new byte[DnsLimits.MaxPacketBytes + 1];
        long nextResend = Environment.TickCount64 + 1000;
        // Bounded: the loop ends at the deadline, and each pass waits for a packet or the deadline.
        while (!deadline.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                // An ICMP error from one interface's send shows up here on Linux; the others may still answer.
                continue;
            }

            if (DnsMessageReader.TryRead(buffer.AsSpan(0, received.ReceivedBytes)) is not { IsResponse: true } message)
            {
                continue;
            }

            answers++;
            collector.Add(message, ((IPEndPoint)received.RemoteEndPoint).Address);
            if (stopEarly?.Invoke() == true)
            {
                break;
            }

            // Responders usually send SRV, TXT and addresses along with the PTR; ask for whatever is still missing.
            var followUp = collector.Unresolved().Select(n => new DnsQuestion(n, DnsType.Srv))
                .Concat(collector.Unresolved().Select(n => new DnsQuestion(n, DnsType.Txt)))
                .Concat(collector.HostsWithoutAddress().SelectMany(HostQuestions))
                .Take(16).ToArray();
            if (followUp.Length > 0)
            {
                SendAll(socket, interfaces, id, followUp);
            }

            if (Environment.TickCount64 >= nextResend)
            {
                // One repeat, in case the first query was lost.
                nextResend = long.MaxValue;
                SendAll(socket, interfaces, id, questions);
            }
        }

        return (answers, names, answers == 0 ? problem : null);
    }

    private static string? SendAll(Socket socket, IReadOnlyList<MulticastInterface> interfaces, ushort id, IReadOnlyList<DnsQuestion> questions)
    {
        byte[] query = DnsMessageWriter.Write(new DnsMessage { Id = id, Questions = questions });
        string? problem = null;
        foreach (var nic in interfaces)
        {
            try
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, nic.IPv4[0].GetAddressBytes());
                socket.SendTo(query, s_group);
            }
            catch (SocketException ex)
            {
                problem = $"cannot send an mDNS query on {nic.Name}: {ex.Message}";
            }
        }

        return problem;
    }
}
