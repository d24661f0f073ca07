using System.Net;
using LanTalk.Core.Discovery;
using LanTalk.Server.Discovery;

namespace LanTalk.Server.Tests.Unit.Discovery;

/// <summary>When the responder must announce again (RFC 6762 §8.4): an interface's announced addresses changed, or it is new.</summary>
public sealed class AddressChangesTests
{
    private static MulticastInterface Nic(string name, int index, params string[] addresses)
    {
        var all = addresses.Select(IPAddress.Parse).ToArray();
        return new MulticastInterface(name, index, [.. all.Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)],
            [.. all.Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)]);
    }

    [Test]
    public void A_new_IPv4_address_on_an_interface_is_a_change_to_announce()
    {
        var before = new[] { Nic("eth0", 2, "10.228.9.11", "fd28::11"), Nic("eth1", 3, "10.1.0.5") };
        var after = new[] { Nic("eth0", 2, "10.228.9.31", "fd28::11"), Nic("eth1", 3, "10.1.0.5") };

        AddressChanges.Between(before, after).Select(n => n.Name).Should().Equal("eth0");
    }

    [Test]
    public void A_new_interface_is_a_change_and_one_that_went_away_is_not()
    {
        var before = new[] { Nic("eth0", 2, "10.228.9.11") };
        var after = new[] { Nic("wlan0", 4, "192.168.1.7") };

        AddressChanges.Between(before, after).Select(n => n.Name).Should().Equal("wlan0");
    }

    [Test]
    public void The_same_addresses_in_another_order_or_a_new_link_local_address_are_no_change()
    {
        var before = new[] { Nic("eth0", 2, "10.228.9.11", "10.228.9.12", "fd28::11", "fe80::1") };
        var after = new[] { Nic("eth0", 2, "10.228.9.12", "10.228.9.11", "fe80::2", "fd28::11") };

        AddressChanges.Between(before, after).Should().BeEmpty();
    }

    [Test]
    public void A_new_global_IPv6_address_is_a_change() =>
        AddressChanges.Between([Nic("eth0", 2, "10.228.9.11")], [Nic("eth0", 2, "10.228.9.11", "2001:db8::11")]).Should().ContainSingle();

    private static readonly ServiceRecords Records = new("lost", "vm", 45961, LanTalkService.TxtFor(tls: false, null, pinOnFirstUse: false));

    [Test]
    public void Losing_the_last_IPv4_address_means_the_server_is_no_longer_announced_and_every_address_of_it_is_gone()
    {
        // eth0 keeps fd79::1, but without an IPv4 address it carries no mDNS (IPv4 multicast only), so it leaves the list.
        var before = new[] { Nic("eth0", 2, "10.79.0.1", "fd79::1") };
        var after = Array.Empty<MulticastInterface>();

        AddressChanges.NoLongerAnnounced(before, after, Records).Should().BeTrue();
        AddressChanges.Gone(before, after, Records).Should().ContainSingle()
            .Which.Gone.Select(a => a.ToString()).Should().BeEquivalentTo("10.79.0.1", "fd79::1");
    }

    [Test]
    public void An_address_removed_while_another_IPv4_address_stays_is_gone_but_the_server_is_still_announced()
    {
        var before = new[] { Nic("eth0", 2, "10.79.0.1", "10.79.0.5", "fd79::1") };
        var after = new[] { Nic("eth0", 2, "10.79.0.1", "fd79::1") };

        AddressChanges.NoLongerAnnounced(before, after, Records).Should().BeFalse();
        AddressChanges.Gone(before, after, Records).Should().ContainSingle().Which.Gone.Should().Equal(IPAddress.Parse("10.79.0.5"));
    }

    [Test]
    public void A_server_never_announced_and_an_unchanged_one_lose_nothing()
    {
        var nics = new[] { Nic("eth0", 2, "10.79.0.1") };

        AddressChanges.NoLongerAnnounced([], [], Records).Should().BeFalse();
        AddressChanges.Gone(nics, nics, Records).Should().BeEmpty();
    }

    [Test]
    public void The_goodbye_for_a_gone_address_withdraws_only_that_address_with_TTL_0()
    {
        var goodbye = Records.AddressGoodbye([IPAddress.Parse("10.79.0.5")]);

        goodbye.Answers.Should().ContainSingle().Which.Should().Match<DnsRecord>(r => r.Ttl == 0 && r.Type == DnsType.A && r.Name == "vm.local");
    }
}
