using System.Net;
using LanTalk.Core.Discovery;

namespace LanTalk.Core.Tests.Discovery;

/// <summary>How browse answers become servers: PTR, SRV, TXT and addresses joined; goodbyes remove; floods are capped.</summary>
public sealed class ServiceCollectorTests
{
    private const string Instance = "Office Chat._lantalk._tcp.local";
    private static readonly string Fingerprint = string.Join(':', Enumerable.Repeat("0F", 32));

    private static DnsMessage Response(params DnsRecord[] records) => new() { IsResponse = true, Answers = records };

    [Test]
    public void A_full_answer_becomes_one_server_with_its_TXT_details()
    {
        var collector = new ServiceCollector();
        collector.Add(Response(
            DnsRecord.Ptr(LanTalkService.ServiceType, Instance, 4500),
            DnsRecord.Srv(Instance, "chat-host.local", 7000, 120),
            DnsRecord.Txt(Instance, LanTalkService.TxtFor(tls: true, Fingerprint, pinOnFirstUse: true), 4500),
            DnsRecord.Host("chat-host.local", IPAddress.Parse("fd00::1"), 120),
            DnsRecord.Host("chat-host.local", IPAddress.Parse("192.168.1.20"), 120)));

        var server = collector.Servers().Should().ContainSingle().Subject;
        server.Instance.Should().Be("Office Chat");
        server.HostName.Should().Be("chat-host.local");
        server.Port.Should().Be(7000);
        server.ConnectHost.Should().Be("192.168.1.20", "IPv4 is preferred: it needs no scope and is what people type");
        server.Tls.Should().BeTrue();
        server.ProtocolVersion.Should().Be(2);
        server.Fingerprint.Should().Be(Fingerprint);
        server.PinOnFirstUse.Should().BeTrue();
    }

    [Test]
    public void Records_may_arrive_in_separate_packets()
    {
        var collector = new ServiceCollector();
        collector.Add(Response(DnsRecord.Ptr(LanTalkService.ServiceType, Instance, 4500)));
        collector.Servers().Should().BeEmpty("without SRV there is no host or port yet");
        collector.Unresolved().Should().Equal(Instance);

        collector.Add(Response(DnsRecord.Srv(Instance, "chat-host.local", 65534, 120)));
        collector.HostsWithoutAddress().Should().Equal("chat-host.local");
        collector.Add(Response(DnsRecord.Host("chat-host.local", IPAddress.Parse("10.0.0.5"), 120)));

        collector.Servers().Single().ConnectHost.Should().Be("10.0.0.5");
        collector.Servers().Single().Tls.Should().BeNull("no TXT record arrived");
    }

    private static DnsMessage FullAnswer(string host, string address, int port, string fingerprint) => Response(
        DnsRecord.Ptr(LanTalkService.ServiceType, Instance, 4500),
        DnsRecord.Srv(Instance, host, (ushort)port, 120),
        DnsRecord.Txt(Instance, LanTalkService.TxtFor(tls: true, fingerprint, pinOnFirstUse: true), 4500),
        DnsRecord.Host(host, IPAddress.Parse(address), 120));

    [Test]
    public void Two_hosts_answering_for_one_instance_are_two_entries_each_whole_and_marked_as_a_conflict()
    {
        string other = string.Join(':', Enumerable.Repeat("AB", 32));
        var collector = new ServiceCollector();
        // Interleaved, as the packets of two responders arrive: neither may lend the other its address or fingerprint.
        collector.Add(FullAnswer("chat.local", "10.0.0.11", 7000, Fingerprint), IPAddress.Parse("10.0.0.11"));
        collector.Add(FullAnswer("chat.local", "10.0.0.12", 7000, other), IPAddress.Parse("10.0.0.12"));
        collector.Add(Response(DnsRecord.Host("chat.local", IPAddress.Parse("10.0.0.11"), 120)), IPAddress.Parse("10.0.0.11"));

        var servers = collector.Servers();

        servers.Select(s => (s.ConnectHost, s.Fingerprint)).Should().BeEquivalentTo([("10.0.0.11", Fingerprint), ("10.0.0.12", other)]);
        servers.Should().OnlyContain(s => s.Conflict && s.Instance == "Office Chat");
        servers.Should().OnlyContain(s => s.Addresses.Count == 1);
    }

    [Test]
    public void One_server_answering_on_two_interfaces_is_one_entry_with_both_addresses()
    {
        var collector = new ServiceCollector();
        collector.Add(FullAnswer("chat.local", "10.0.0.11", 7000, Fingerprint), IPAddress.Parse("10.0.0.11"));
        collector.Add(FullAnswer("chat.local", "10.1.0.11", 7000, Fingerprint), IPAddress.Parse("10.1.0.11"));

        var server = collector.Servers().Should().ContainSingle().Subject;
        server.Conflict.Should().BeFalse();
        server.Addresses.Select(a => a.ToString()).Should().BeEquivalentTo(["10.0.0.11", "10.1.0.11"]);
    }

    [Test]
    public void A_goodbye_from_one_responder_leaves_the_other_responders_records()
    {
        var collector = new ServiceCollector();
        collector.Add(FullAnswer("chat.local", "10.0.0.11", 7000, Fingerprint), IPAddress.Parse("10.0.0.11"));
        collector.Add(FullAnswer("chat.local", "10.0.0.12", 7001, Fingerprint), IPAddress.Parse("10.0.0.12"));
        collector.Add(Response(DnsRecord.Srv(Instance, "chat.local", 7001, 0)), IPAddress.Parse("10.0.0.12"));

        var server = collector.Servers().Should().ContainSingle().Subject;
        server.Port.Should().Be(7000);
        server.Conflict.Should().BeFalse();
    }

    [Test]
    public void Resolving_a_local_name_asks_for_IPv4_and_IPv6_addresses() =>
        MdnsBrowser.HostQuestions("v6only.local").Select(q => q.Type).Should().BeEquivalentTo([DnsType.A, DnsType.Aaaa]);

    [Test]
    public void A_goodbye_removes_the_server()
    {
        var collector = new ServiceCollector();
        collector.Add(Response(DnsRecord.Ptr(LanTalkService.ServiceType, Instance, 4500), DnsRecord.Srv(Instance, "h.local", 1, 120)));
        collector.Add(Response(DnsRecord.Ptr(LanTalkService.ServiceType, Instance, 0)));

        collector.Servers().Should().BeEmpty();
    }

    [Test]
    public void Queries_and_other_service_types_are_ignored()
    {
        var collector = new ServiceCollector();
        collector.Add(new DnsMessage { Answers = [DnsRecord.Ptr(LanTalkService.ServiceType, Instance, 4500)] });
        collector.Add(Response(DnsRecord.Ptr("_ipp._tcp.local", "Printer._ipp._tcp.local", 4500), DnsRecord.Srv("Printer._ipp._tcp.local", "p.local", 631, 120)));

        collector.Servers().Should().BeEmpty();
    }

    [Test]
    public void A_service_announced_with_port_0_is_not_offered_as_a_server()
    {
        var collector = new ServiceCollector();
        collector.Add(Response(
            DnsRecord.Ptr(LanTalkService.ServiceType, Instance, 4500),
            DnsRecord.Srv(Instance, "zero-host.local", 0, 120),
            DnsRecord.Host("zero-host.local", IPAddress.Parse("192.168.1.20"), 120)));

        collector.Servers().Should().BeEmpty("port 0 is DNS-SD's placeholder: nothing listens there");
        collector.Unresolved().Should().BeEmpty("its SRV did arrive, so the browser need not ask for it again");
    }

    [Test]
    public void A_flood_of_fake_instances_is_capped()
    {
        var collector = new ServiceCollector();
        for (int i = 0; i < 1000; i++)
        {
            string name = $"fake{i}._lantalk._tcp.local";
            collector.Add(Response(DnsRecord.Ptr(LanTalkService.ServiceType, name, 4500), DnsRecord.Srv(name, "h.local", 1, 120)));
        }

        collector.Servers().Count.Should().BeLessThanOrEqualTo(ServiceCollector.MaxServers);
    }

    [Test]
    public void A_fingerprint_that_is_not_SHA_256_is_not_offered()
    {
        var server = new DiscoveredServer("x", "h.local", 1, [], LanTalkService.ParseTxt(["fp=not-a-fingerprint", "tls=on"]));

        server.Fingerprint.Should().BeNull();
        server.Tls.Should().BeTrue();
    }

    [Test]
    public void TXT_keys_ignore_case_and_the_first_one_wins() =>
        LanTalkService.ParseTxt(["TLS=off", "tls=on", "flag", "=empty"]).Should().BeEquivalentTo(new Dictionary<string, string> { ["tls"] = "off", ["flag"] = string.Empty });
}
