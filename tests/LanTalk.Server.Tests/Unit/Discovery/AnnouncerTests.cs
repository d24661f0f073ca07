using System.Net;
using LanTalk.Core.Discovery;
using LanTalk.Server.Discovery;

namespace LanTalk.Server.Tests.Unit.Discovery;

/// <summary>What the operator is told once probing is over, without sockets.</summary>
public sealed class AnnouncerTests
{
    private static readonly ServiceRecords Started = new("samehost", "samehost", 45101, LanTalkService.TxtFor(tls: false, null, pinOnFirstUse: false));

    [Test]
    public void After_a_host_name_conflict_the_connect_lines_are_printed_again_with_the_won_name()
    {
        var won = Started with { Instance = "samehost (2)", HostLabel = "samehost-2" };

        var lines = Announcer.AfterProbing(Started, won, IPAddress.Parse("10.0.0.12"), 45101);

        lines[0].Should().Contain("this server is samehost-2.local").And.Contain("samehost.local does not reach it");
        lines.Skip(1).Should().ContainSingle().Which.Should().Be("Clients can connect to: lantalk 10.0.0.12:45101");
    }

    [Test]
    public void Names_won_as_printed_at_start_need_no_second_print() =>
        Announcer.AfterProbing(Started, Started, IPAddress.IPv6Any, 45101).Should().BeEmpty();

    [Test]
    public void A_server_announced_only_once_an_interface_came_up_prints_the_connect_lines_with_its_name_then()
    {
        // At start no interface had an IPv4 address, so the start-up lines named no .local name (README: a new
        // address is picked up within 10 s, announced, and new "Clients can connect to" lines are logged).
        var lines = Announcer.AfterProbing(Started, Started, IPAddress.Parse("10.78.0.1"), 45101, startLinesNamedHost: false);

        lines[0].Should().Contain("announced on the LAN now").And.Contain("samehost.local");
        lines.Skip(1).Should().ContainSingle().Which.Should().Be("Clients can connect to: lantalk 10.78.0.1:45101");
    }
}
