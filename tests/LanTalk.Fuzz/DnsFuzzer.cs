using System.Net;
using LanTalk.Core.Discovery;
using LanTalk.Server.Discovery;

namespace LanTalk.Fuzz;

/// <summary>
/// Feeds mutated mDNS packets to everything that reads them: the DNS reader, the client's service collector, and
/// the server responder's answer and conflict logic. The only acceptable failure is <see cref="DnsFormatException"/>
/// (the packet is dropped), and one packet must never cost more than a bounded allocation.
/// </summary>
internal static class DnsFuzzer
{
    // A 9000-byte packet decodes to at most 256 records; a reader trusting a hostile count or pointer would blow this.
    private const long AllocationBudget = 4L * 1024 * 1024;

    private static readonly ServiceRecords s_records = new("Fuzz Chat", "fuzz-host", 65534,
        LanTalkService.TxtFor(tls: true, "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89", pinOnFirstUse: false));

    private static readonly IPAddress[] s_addresses = [IPAddress.Parse("192.168.1.20"), IPAddress.Parse("fd00::20")];

    /// <summary>Valid packets of every kind the LAN carries, for the mutator to start from.</summary>
    public static IReadOnlyList<byte[]> Seeds { get; } =
    [
        DnsMessageWriter.Write(s_records.Announcement(s_addresses)),
        DnsMessageWriter.Write(s_records.Announcement(s_addresses, goodbye: true)),
        DnsMessageWriter.Write(s_records.Probe(s_addresses)),
        DnsMessageWriter.Write(new DnsMessage { Id = 7, Questions = [new DnsQuestion(LanTalkService.ServiceType, DnsType.Ptr)] }),
        DnsMessageWriter.Write(new DnsMessage { Questions = [new DnsQuestion("fuzz-host.local", DnsType.Any, true)], Answers = [s_records.Ptr()] }),
        CompressedAnswer(),
    ];

    public static string? Run(byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var message = DnsMessageReader.Read(input);
            var collector = new ServiceCollector();
            collector.Add(message);
            foreach (var server in collector.Servers())
            {
                _ = server.ToString() + server.Fingerprint + server.Tls + server.ProtocolVersion + server.ConnectHost;
            }

            _ = s_records.ConflictsWith(message, s_addresses);
            if (s_records.Answer(message, s_addresses) is { } answer)
            {
                // What the responder would send must itself be a valid packet.
                DnsMessageReader.Read(DnsMessageWriter.Write(ServiceRecords.ForLegacyUnicast(answer, message)));
            }
        }
        catch (DnsFormatException)
        {
            // The specified answer to a malformed packet: drop it.
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated > AllocationBudget ? $"one DNS packet allocated {allocated} bytes ({input.Length} bytes in)" : null;
    }

    /// <summary>An answer with compression pointers, as avahi and Bonjour send them (our writer never compresses).</summary>
    private static byte[] CompressedAnswer() =>
    [
        0, 0, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0,
        // _lantalk._tcp.local PTR -> "x" + pointer to offset 12
        8, (byte)'_', (byte)'l', (byte)'a', (byte)'n', (byte)'t', (byte)'a', (byte)'l', (byte)'k', 4, (byte)'_', (byte)'t', (byte)'c', (byte)'p', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0,
        0, 12, 0, 1, 0, 0, 0x11, 0x94, 0, 4, 1, (byte)'x', 0xC0, 12,
        // x._lantalk._tcp.local (pointer to 43) SRV 0 0 65534 -> pointer to the instance
        0xC0, 43, 0, 33, 0x80, 1, 0, 0, 0, 120, 0, 8, 0, 0, 0, 0, 0xFF, 0xFE, 0xC0, 43,
    ];
}
