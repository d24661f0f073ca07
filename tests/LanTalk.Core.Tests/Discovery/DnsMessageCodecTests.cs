using System.Net;
using LanTalk.Core.Discovery;

namespace LanTalk.Core.Tests.Discovery;

/// <summary>The DNS message reader and writer: round trips, wire details mDNS depends on, and hostile packets.</summary>
public sealed class DnsMessageCodecTests
{
    private static readonly string Fingerprint = string.Join(':', Enumerable.Repeat("AB", 32));

    [Test]
    public void Every_record_type_survives_a_round_trip()
    {
        var message = new DnsMessage
        {
            Id = 0x1234,
            IsResponse = true,
            Authoritative = true,
            Questions = [new DnsQuestion("_lantalk._tcp.local", DnsType.Ptr, UnicastResponse: true)],
            Answers =
            [
                DnsRecord.Ptr("_lantalk._tcp.local", "Chat v2\\.1._lantalk._tcp.local", 4500),
                DnsRecord.Srv("Chat v2\\.1._lantalk._tcp.local", "chat-host.local", 65534, 120),
                DnsRecord.Txt("Chat v2\\.1._lantalk._tcp.local", ["txtvers=1", "fp=" + Fingerprint], 4500),
            ],
            Additionals =
            [
                DnsRecord.Host("chat-host.local", IPAddress.Parse("192.168.1.20"), 120),
                DnsRecord.Host("chat-host.local", IPAddress.Parse("fd00::20"), 120),
                new DnsRecord("chat-host.local", DnsType.Nsec, 120, true) { Types = [DnsType.A, DnsType.Aaaa] },
            ],
        };

        var read = DnsMessageReader.Read(DnsMessageWriter.Write(message));

        read.Id.Should().Be(0x1234);
        read.IsResponse.Should().BeTrue();
        read.Authoritative.Should().BeTrue();
        read.Questions.Should().ContainSingle().Which.Should().Be(message.Questions[0]);
        read.Answers[0].Target.Should().Be("Chat v2\\.1._lantalk._tcp.local");
        DnsName.FirstLabel(read.Answers[0].Target!).Should().Be("Chat v2.1", "a dot inside the instance label is one label, not two");
        read.Answers[1].Should().Match<DnsRecord>(r => r.Port == 65534 && r.Target == "chat-host.local" && r.CacheFlush && r.Ttl == 120);
        read.Answers[2].Text.Should().Equal("txtvers=1", "fp=" + Fingerprint);
        read.Additionals[0].Address.Should().Be(IPAddress.Parse("192.168.1.20"));
        read.Additionals[1].Address.Should().Be(IPAddress.Parse("fd00::20"));
        read.Additionals[2].Types.Should().Equal(DnsType.A, DnsType.Aaaa);
    }

    [Test]
    public void A_query_is_written_as_RFC_1035_bytes()
    {
        var bytes = DnsMessageWriter.Write(new DnsMessage { Id = 1, Questions = [new DnsQuestion("a.local", DnsType.Ptr, UnicastResponse: true)] });

        Convert.ToHexString(bytes).Should().Be(
            "0001" + "0000" + "0001" + "0000" + "0000" + "0000" + // id 1, flags 0, one question
            "0161" + "056C6F63616C" + "00" + //                       a . local .
            "000C" + "8001"); //                                       PTR, class IN with the QU bit
    }

    [Test]
    public void Compressed_names_are_followed()
    {
        // A PTR whose target is "x" + a pointer back to the question's name at offset 12.
        byte[] packet =
        [
            0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
            1, (byte)'s', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0,
            0, 12, 0, 1, 0, 0, 0, 10, 0, 4, 1, (byte)'x', 0xC0, 12,
        ];

        DnsMessageReader.Read(packet).Answers.Single().Target.Should().Be("x.s.local");
    }

    [Test]
    public void A_pointer_to_itself_is_rejected_not_followed_forever()
    {
        byte[] packet = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 10, 0, 4, 1, 2, 3, 4];

        FluentActions.Invoking(() => DnsMessageReader.Read(packet)).Should().Throw<DnsFormatException>().WithMessage("*backwards*");
    }

    [Test]
    public void A_forward_pointer_is_rejected()
    {
        byte[] packet = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xC0, 20, 0, 1, 0, 1, 0, 0, 0, 10, 0, 4, 1, 2, 3, 4];

        FluentActions.Invoking(() => DnsMessageReader.Read(packet)).Should().Throw<DnsFormatException>();
    }

    [Test]
    public void A_count_the_packet_cannot_hold_is_rejected_before_anything_is_read()
    {
        byte[] packet = [0, 0, 0x84, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0];

        FluentActions.Invoking(() => DnsMessageReader.Read(packet)).Should().Throw<DnsFormatException>().WithMessage("*claims*");
    }

    [Test]
    public void A_packet_over_9000_bytes_is_rejected() =>
        FluentActions.Invoking(() => DnsMessageReader.Read(new byte[DnsLimits.MaxPacketBytes + 1])).Should().Throw<DnsFormatException>();

    [Test]
    public void A_name_over_255_bytes_is_rejected()
    {
        var bytes = new List<byte> { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
        for (int i = 0; i < 5; i++)
        {
            bytes.Add(63);
            bytes.AddRange(Enumerable.Repeat((byte)'a', 63));
        }

        bytes.AddRange([0, 0, 1, 0, 1]);

        FluentActions.Invoking(() => DnsMessageReader.Read(bytes.ToArray())).Should().Throw<DnsFormatException>().WithMessage("*255*");
    }

    [TestCase(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 10, 0, 3, 1, 2, 3 }, TestName = "An A record of 3 bytes is rejected")]
    [TestCase(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 16, 0, 1, 0, 0, 0, 10, 0, 2, 5, 65 }, TestName = "A TXT string longer than its record is rejected")]
    [TestCase(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 33, 0, 1, 0, 0, 0, 10, 0, 6, 0, 0, 0, 0, 0, 1 }, TestName = "An SRV record without a target is rejected")]
    [TestCase(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 10, 0, 9, 1, 2, 3, 4 }, TestName = "Record data running past the packet is rejected")]
    [TestCase(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x40, 0, 1, 0, 1, 0, 0, 0, 10, 0, 4, 1, 2, 3, 4 }, TestName = "A label with reserved length bits is rejected")]
    [TestCase(new byte[] { 0, 0, 0x84, 0 }, TestName = "A packet shorter than the header is rejected")]
    public void Malformed_packets_are_rejected(byte[] packet)
    {
        FluentActions.Invoking(() => DnsMessageReader.Read(packet)).Should().Throw<DnsFormatException>();
        DnsMessageReader.TryRead(packet).Should().BeNull();
    }

    [Test]
    public void Unknown_record_types_are_skipped_and_the_rest_is_read()
    {
        byte[] packet =
        [
            0, 0, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0,
            0, 0, 99, 0, 1, 0, 0, 0, 10, 0, 3, 7, 7, 7,
            0, 0, 1, 0, 1, 0, 0, 0, 10, 0, 4, 10, 0, 0, 1,
        ];

        DnsMessageReader.Read(packet).Answers.Select(a => a.Address?.ToString()).Should().Equal(null, "10.0.0.1");
    }

    [Test]
    public void Every_truncation_of_a_valid_packet_is_rejected_cleanly()
    {
        var bytes = DnsMessageWriter.Write(new DnsMessage
        {
            IsResponse = true,
            Answers = [DnsRecord.Srv("a._lantalk._tcp.local", "h.local", 1, 120), DnsRecord.Txt("a._lantalk._tcp.local", ["k=v"], 10)],
        });

        for (int length = 0; length < bytes.Length; length++)
        {
            DnsMessageReader.TryRead(bytes.AsSpan(0, length)).Should().BeNull($"{length} of {bytes.Length} bytes is a truncated packet");
        }
    }

    [Test]
    public void The_writer_refuses_a_label_over_63_bytes() =>
        FluentActions.Invoking(() => DnsMessageWriter.Write(new DnsMessage { Questions = [new DnsQuestion(new string('a', 64) + ".local", DnsType.A)] }))
            .Should().Throw<InvalidOperationException>();
}
