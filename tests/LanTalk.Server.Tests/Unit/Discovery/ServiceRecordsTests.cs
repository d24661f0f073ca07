using System.Net;
using LanTalk.Core.Discovery;
using LanTalk.Server.Discovery;

namespace LanTalk.Server.Tests.Unit.Discovery;

/// <summary>What the mDNS responder answers, without sockets: RFC 6762/6763 rules applied to our one service.</summary>
public sealed class ServiceRecordsTests
{
    private static readonly string Fingerprint = string.Join(':', Enumerable.Repeat("C3", 32));
    private static readonly IPAddress[] Addresses = [IPAddress.Parse("192.168.1.20"), IPAddress.Parse("fd00::20"), IPAddress.Parse("fe80::1")];
    private static readonly ServiceRecords Records = new("Office Chat", "chat-host", 65534, LanTalkService.TxtFor(tls: true, Fingerprint, pinOnFirstUse: false));

    private static DnsMessage Query(params DnsQuestion[] questions) => new() { Questions = questions };

    [Test]
    public void A_browse_gets_the_PTR_with_SRV_TXT_and_addresses_as_additional_records()
    {
        var answer = Records.Answer(Query(new DnsQuestion(LanTalkService.ServiceType, DnsType.Ptr)), Addresses)!;

        answer.IsResponse.Should().BeTrue();
        answer.Authoritative.Should().BeTrue();
        answer.Answers.Should().ContainSingle().Which.Target.Should().Be("Office Chat._lantalk._tcp.local");
        answer.Additionals.Select(r => r.Type).Should().BeEquivalentTo([DnsType.Srv, DnsType.Txt, DnsType.A, DnsType.Aaaa]);
        answer.Additionals.Single(r => r.Type == DnsType.Srv).Should().Match<DnsRecord>(r => r.Port == 65534 && r.Target == "chat-host.local");
        answer.Additionals.Single(r => r.Type == DnsType.Txt).Text.Should().Contain(["proto=2", "tls=on", "fp=" + Fingerprint, "pin=ask"]);
        answer.Additionals.Where(r => r.Address is not null).Select(r => r.Address!.ToString()).Should().NotContain("fe80::1", "a link-local address needs a scope the asker does not know");
    }

    [TestCase("fd00::20", new[] { "fd00::20" })]
    [TestCase("192.168.1.20", new[] { "192.168.1.20" })]
    [TestCase("0.0.0.0", new[] { "192.168.1.20" })]
    [TestCase("::", new[] { "192.168.1.20", "fd00::20" })]
    public void Only_addresses_the_chat_listener_serves_are_announced(string listen, string[] announced)
    {
        var records = Records with { Listen = IPAddress.Parse(listen) };

        var host = records.Answer(Query(new DnsQuestion("chat-host.local", DnsType.Any)), Addresses)!;
        var browse = records.Answer(Query(new DnsQuestion(LanTalkService.ServiceType, DnsType.Ptr)), Addresses)!;

        host.Answers.Select(r => r.Address!.ToString()).Should().BeEquivalentTo(announced);
        browse.Additionals.Where(r => r.Address is not null).Select(r => r.Address!.ToString()).Should().BeEquivalentTo(announced);
        records.Announcement(Addresses).Answers.Where(r => r.Address is not null).Select(r => r.Address!.ToString()).Should().BeEquivalentTo(announced);
    }

    [Test]
    public void An_interface_without_an_address_the_listener_serves_is_not_served() =>
        (Records with { Listen = IPAddress.Parse("10.9.9.9") }).Served(Addresses).Should().BeEmpty();

    [Test]
    public void Names_are_matched_ignoring_case() =>
        Records.Answer(Query(new DnsQuestion("CHAT-HOST.LOCAL", DnsType.A)), Addresses)!.Answers.Single().Address.Should().Be(IPAddress.Parse("192.168.1.20"));

    [Test]
    public void SRV_TXT_and_ANY_questions_for_the_instance_are_answered()
    {
        Records.Answer(Query(new DnsQuestion("Office Chat._lantalk._tcp.local", DnsType.Srv)), Addresses)!.Answers.Should().ContainSingle(r => r.Type == DnsType.Srv);
        Records.Answer(Query(new DnsQuestion("Office Chat._lantalk._tcp.local", DnsType.Txt)), Addresses)!.Answers.Should().ContainSingle(r => r.Type == DnsType.Txt);
        Records.Answer(Query(new DnsQuestion("Office Chat._lantalk._tcp.local", DnsType.Any)), Addresses)!.Answers.Select(r => r.Type).Should().BeEquivalentTo([DnsType.Srv, DnsType.Txt]);
    }

    [Test]
    public void Service_type_enumeration_lists_lantalk() =>
        Records.Answer(Query(new DnsQuestion(LanTalkService.AllServiceTypes, DnsType.Ptr)), Addresses)!.Answers.Single().Target.Should().Be(LanTalkService.ServiceType);

    [Test]
    public void Questions_about_other_names_and_responses_get_no_answer()
    {
        Records.Answer(Query(new DnsQuestion("_ipp._tcp.local", DnsType.Ptr), new DnsQuestion("other-host.local", DnsType.A)), Addresses).Should().BeNull();
        Records.Answer(new DnsMessage { IsResponse = true, Questions = [new DnsQuestion(LanTalkService.ServiceType, DnsType.Ptr)] }, Addresses).Should().BeNull();
    }

    [Test]
    public void A_known_answer_with_at_least_half_its_TTL_is_not_repeated()
    {
        var fresh = Query(new DnsQuestion(LanTalkService.ServiceType, DnsType.Ptr)) with { Answers = [Records.Ptr(4000)] };
        var stale = Query(new DnsQuestion(LanTalkService.ServiceType, DnsType.Ptr)) with { Answers = [Records.Ptr(100)] };

        Records.Answer(fresh, Addresses).Should().BeNull();
        Records.Answer(stale, Addresses).Should().NotBeNull();
    }

    [Test]
    public void A_legacy_unicast_answer_echoes_id_and_question_caps_TTL_and_drops_cache_flush()
    {
        var query = new DnsMessage { Id = 4711, Questions = [new DnsQuestion(LanTalkService.ServiceType, DnsType.Ptr)] };

        var answer = ServiceRecords.ForLegacyUnicast(Records.Answer(query, Addresses)!, query);

        answer.Id.Should().Be(4711);
        answer.Questions.Should().Equal(query.Questions);
        answer.Answers.Concat(answer.Additionals).Should().OnlyContain(r => r.Ttl <= 10 && !r.CacheFlush);
    }

    [Test]
    public void A_goodbye_sends_every_record_with_TTL_0() =>
        Records.Announcement(Addresses, goodbye: true).Answers.Should().OnlyContain(r => r.Ttl == 0).And.Contain(r => r.Type == DnsType.Ptr);

    [Test]
    public void A_probe_asks_for_both_names_and_proposes_our_records()
    {
        var probe = Records.Probe(Addresses);

        probe.IsResponse.Should().BeFalse();
        probe.Questions.Select(q => q.Name).Should().Equal("Office Chat._lantalk._tcp.local", "chat-host.local");
        probe.Questions.Should().OnlyContain(q => q.Type == DnsType.Any);
        probe.Authorities.Should().Contain(r => r.Type == DnsType.Srv);
    }

    [Test]
    public void Another_host_with_our_instance_name_is_a_conflict_but_our_own_echo_is_not()
    {
        var other = new DnsMessage { IsResponse = true, Answers = [DnsRecord.Srv("office chat._lantalk._tcp.local", "other.local", 65534, 120)] };
        var echo = Records.Announcement(Addresses);
        var otherAddress = new DnsMessage { IsResponse = true, Answers = [DnsRecord.Host("chat-host.local", IPAddress.Parse("192.168.1.99"), 120)] };

        Records.ConflictsWith(other, Addresses).Should().Be(NameConflict.Instance);
        Records.ConflictsWith(otherAddress, Addresses).Should().Be(NameConflict.Host);
        Records.ConflictsWith(echo, Addresses).Should().Be(NameConflict.None);
    }

    [Test]
    public void Our_host_name_with_our_own_link_local_address_from_avahi_on_this_host_is_not_a_conflict()
    {
        // avahi answers our probe with our fe80:: address, which carries no scope on the wire while ours carries the
        // interface's: the server renamed itself "HOST (2)" on every start on a machine running avahi (an ops audit).
        IPAddress[] ours = [IPAddress.Parse("10.99.2.1"), IPAddress.Parse("fe80::68c9:5ff:fecd:42a6%40")];
        var avahi = new DnsMessage
        {
            IsResponse = true,
            Answers = [DnsRecord.Host("chat-host.local", IPAddress.Parse("fe80::68c9:5ff:fecd:42a6"), 120), DnsRecord.Host("chat-host.local", IPAddress.Parse("10.99.2.1"), 120)],
        };
        var another = new DnsMessage { IsResponse = true, Answers = [DnsRecord.Host("chat-host.local", IPAddress.Parse("fe80::99"), 120)] };

        Records.ConflictsWith(avahi, ours).Should().Be(NameConflict.None);
        Records.ConflictsWith(another, ours).Should().Be(NameConflict.Host, "another link-local address is another host");
    }

    [Test]
    public void Every_answer_is_a_packet_the_reader_accepts()
    {
        var query = Query(new DnsQuestion(LanTalkService.ServiceType, DnsType.Ptr), new DnsQuestion("chat-host.local", DnsType.Any));

        var read = DnsMessageReader.Read(DnsMessageWriter.Write(Records.Answer(query, Addresses)!));

        read.Answers.Should().NotBeEmpty();
    }

    [Test]
    public void A_simultaneous_probe_with_later_data_wins_the_tie_and_an_earlier_one_loses()
    {
        var later = new ServiceRecords("Office Chat", "chat-host", 65535, Records.Txt).Probe(Addresses);
        var earlier = new ServiceRecords("Office Chat", "chat-host", 1000, Records.Txt).Probe(Addresses);
        var laterHost = new ServiceRecords("Other", "chat-host", 65534, Records.Txt).Probe([IPAddress.Parse("192.168.1.200")]);

        Records.LosesTiebreak(later, Addresses).Should().Be(NameConflict.Instance, "port 65535 sorts after 65534 in the SRV data");
        Records.LosesTiebreak(earlier, Addresses).Should().Be(NameConflict.None);
        Records.LosesTiebreak(laterHost, Addresses).Should().Be(NameConflict.Host, "192.168.1.200 sorts after 192.168.1.20 for the shared host name");
        Records.LosesTiebreak(Records.Probe(Addresses), Addresses).Should().Be(NameConflict.None, "our own probe, looped back, decides nothing");
    }

    [TestCase("Chat", " (", "Chat (2)")]
    [TestCase("Chat (2)", " (", "Chat (3)")]
    [TestCase("chat-host", "-", "chat-host-2")]
    [TestCase("chat-host-9", "-", "chat-host-10")]
    public void A_conflict_renames_with_a_number(string name, string separator, string expected) =>
        ConflictRenames.NextName(name, separator).Should().Be(expected);

    [TestCase(" (", " (2)")]
    [TestCase("-", "-2")]
    public void A_renamed_63_byte_name_still_fits_one_DNS_label(string separator, string suffix)
    {
        string longest = new string('é', 31) + "x";

        string renamed = ConflictRenames.NextName(longest, separator);

        renamed.Should().Be(new string('é', 31 - ((suffix.Length + 1) / 2)) + suffix, "the name is cut between characters to make room for the number");
        System.Text.Encoding.UTF8.GetByteCount(ConflictRenames.NextName(renamed, separator)).Should().BeLessThanOrEqualTo(63);
        FluentActions.Invoking(() => DnsMessageWriter.Write(new ServiceRecords(renamed, renamed, 1, []).Probe(Addresses))).Should().NotThrow();
    }

    [Test]
    public void A_long_name_is_cut_to_63_UTF8_bytes_at_a_character_boundary()
    {
        string label = Announcer.Label(new string('é', 40), "x");

        System.Text.Encoding.UTF8.GetByteCount(label).Should().Be(62);
        label.Should().Be(new string('é', 31));
        Announcer.Label("  ", "fallback").Should().Be("fallback");
    }

    [Test]
    public void Without_TLS_no_fingerprint_is_announced() =>
        LanTalkService.TxtFor(tls: false, Fingerprint, pinOnFirstUse: true).Should().Equal("txtvers=1", "proto=2", "tls=off");
}
