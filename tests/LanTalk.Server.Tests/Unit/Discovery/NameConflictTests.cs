using System.Net;
using LanTalk.Core.Discovery;
using LanTalk.Server.Discovery;

namespace LanTalk.Server.Tests.Unit.Discovery;

/// <summary>
/// RFC 6762 §9 names a conflict per record name: a probe answered for the instance name renames the instance only,
/// one answered for the host name renames the host only, and the warning names the record that conflicted.
/// </summary>
public sealed class NameConflictTests
{
    private static readonly IReadOnlyList<string> Txt = LanTalkService.TxtFor(tls: false, null, pinOnFirstUse: false);
    private static readonly ServiceRecords HostB = new("chat", "hostb", 45969, Txt);
    private static readonly IPAddress[] HostBAddresses = [IPAddress.Parse("10.83.0.2")];

    /// <summary>How the other server answers our probe: what its own records say about the names we asked for.</summary>
    private static DnsMessage AnswerOfTheOther(ServiceRecords other, IPAddress otherAddress) =>
        other.Answer(HostB.Probe(HostBAddresses), [otherAddress])!;

    [Test]
    public void A_server_on_another_machine_with_our_DiscoveryName_renames_the_instance_and_keeps_the_host_name()
    {
        var hostA = new ServiceRecords("chat", "hosta", 45969, Txt);

        var conflict = HostB.ConflictsWith(AnswerOfTheOther(hostA, IPAddress.Parse("10.83.0.1")), HostBAddresses);
        var renamed = ConflictRenames.Renamed(HostB, conflict);

        conflict.Should().Be(NameConflict.Instance, "nobody else is hostb.local");
        renamed.Instance.Should().Be("chat (2)");
        renamed.HostName.Should().Be("hostb.local", "the machine's own name must keep resolving");
    }

    [Test]
    public void A_machine_with_our_host_name_renames_the_host_and_keeps_the_instance_name()
    {
        var otherVm = new ServiceRecords("aaa", "hostb", 45969, Txt);

        var conflict = HostB.ConflictsWith(AnswerOfTheOther(otherVm, IPAddress.Parse("10.83.0.1")), HostBAddresses);
        var renamed = ConflictRenames.Renamed(HostB, conflict);

        conflict.Should().Be(NameConflict.Host, "nobody else is \"chat\"");
        renamed.HostName.Should().Be("hostb-2.local");
        renamed.Instance.Should().Be("chat");
    }

    [Test]
    public void A_second_server_on_the_same_machine_with_one_DiscoveryName_renames_the_instance_only()
    {
        // The first server answers for the machine's name with the machine's own addresses: that is no conflict.
        var first = new ServiceRecords("chat", "hostb", 45970, Txt);

        var conflict = HostB.ConflictsWith(AnswerOfTheOther(first, HostBAddresses[0]), HostBAddresses);

        conflict.Should().Be(NameConflict.Instance);
    }

    [Test]
    public void A_simultaneous_probe_for_our_instance_name_from_another_machine_renames_the_instance_only()
    {
        var hostA = new ServiceRecords("chat", "hosta", 45971, Txt);

        HostB.LosesTiebreak(hostA.Probe([IPAddress.Parse("10.83.0.1")]), HostBAddresses).Should().Be(NameConflict.Instance);
    }

    [Test]
    public void The_warning_names_the_record_that_conflicted_and_no_other()
    {
        string instance = ConflictRenames.Warning(HostB, ConflictRenames.Renamed(HostB, NameConflict.Instance), NameConflict.Instance);
        string host = ConflictRenames.Warning(HostB, ConflictRenames.Renamed(HostB, NameConflict.Host), NameConflict.Host);

        instance.Should().Contain("chat._lantalk._tcp.local").And.Contain("\"chat (2)\"").And.NotContain("hostb");
        host.Should().Contain("hostb.local (A/AAAA)").And.Contain("hostb-2.local").And.NotContain("chat");
    }
}
