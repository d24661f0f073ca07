using LanTalk.Core.Discovery;
using LanTalk.Server.Discovery;

namespace LanTalk.Server.Tests.Unit.Discovery;

/// <summary>Names won after an mDNS conflict are kept in the data directory for the next start (RFC 6762 §9).</summary>
public sealed class WonNamesTests : TempDirectoryFixture
{
    private static readonly ServiceRecords Configured = new("box", "box", 45120, LanTalkService.TxtFor(tls: false, null, pinOnFirstUse: false));
    private string Data => Dir.Path;

    [Test]
    public void A_renamed_server_starts_again_with_the_names_it_won()
    {
        WonNames.Save(Configured, Configured with { Instance = "box (2)", HostLabel = "box-2" }, Data);

        var next = WonNames.Apply(Configured, Data);

        next.HostName.Should().Be("box-2.local", "the other machine called box may start first next time; box-2.local must stay this server");
        next.Instance.Should().Be("box (2)");
    }

    [Test]
    public void Kept_names_are_dropped_when_the_configured_name_changes()
    {
        WonNames.Save(Configured, Configured with { Instance = "box (2)", HostLabel = "box-2" }, Data);

        var renamed = Configured with { Instance = "lab", HostLabel = "lab" };

        WonNames.Apply(renamed, Data).Should().Be(renamed);
    }

    [Test]
    public void Winning_the_configured_names_forgets_the_kept_ones()
    {
        WonNames.Save(Configured, Configured with { HostLabel = "box-2" }, Data);
        WonNames.Save(Configured, Configured, Data);

        File.Exists(Path.Combine(Data, WonNames.FileName)).Should().BeFalse();
        WonNames.Apply(Configured, Data).Should().Be(Configured);
    }

    [Test]
    public void A_start_under_another_host_name_keeps_the_names_won_under_this_one()
    {
        WonNames.Save(Configured, Configured with { Instance = "box (2)", HostLabel = "box-2" }, Data);
        var rescue = Configured with { Instance = "rescue", HostLabel = "rescue" };

        // One start as "rescue" (a rescue boot, a DHCP-assigned name) that wins its own names.
        WonNames.Save(rescue, WonNames.Apply(rescue, Data), Data);
        var back = WonNames.Apply(Configured, Data);

        back.HostName.Should().Be("box-2.local", "box.local is the other machine; clients remembered box-2.local for this one");
        back.Instance.Should().Be("box (2)");
    }

    [Test]
    public void Names_won_under_two_host_names_are_each_restored_under_their_own()
    {
        var other = Configured with { Instance = "lab", HostLabel = "lab" };
        WonNames.Save(Configured, Configured with { HostLabel = "box-2" }, Data);
        WonNames.Save(other, other with { HostLabel = "lab-3" }, Data);

        WonNames.Apply(Configured, Data).HostLabel.Should().Be("box-2");
        WonNames.Apply(other, Data).HostLabel.Should().Be("lab-3");
    }

    [Test]
    public void Winning_the_configured_host_name_forgets_only_its_own_kept_name()
    {
        WonNames.Save(Configured, Configured with { Instance = "box (2)", HostLabel = "box-2" }, Data);
        WonNames.Save(Configured, Configured with { Instance = "box (2)" }, Data);

        var next = WonNames.Apply(Configured, Data);

        next.HostLabel.Should().Be("box", "box.local was won as it is");
        next.Instance.Should().Be("box (2)");
    }
}
