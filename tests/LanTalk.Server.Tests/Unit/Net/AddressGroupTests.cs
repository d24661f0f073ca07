using System.Net;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit.Net;

/// <summary>
/// What the per-address limits and the failed-login throttle count as one address: IPv4 addresses and ::1 alone, an
/// IPv6 address by its /64, except on the server's own links (where the /64 is the whole LAN) and link-local ones.
/// </summary>
[TestFixture]
public sealed class AddressGroupTests
{
    private static readonly IReadOnlyList<IPNetwork> NoLinks = [];

    private static AddressGroup Of(string address, IReadOnlyList<IPNetwork>? onLink = null) =>
        AddressGroup.Of(IPAddress.Parse(address), onLink ?? NoLinks);

    [Test]
    public void IPv6_addresses_of_one_64_are_one_group_and_another_64_is_another()
    {
        var a = Of("2001:db8:1:2::a");
        var b = Of("2001:db8:1:2:ffff:ffff:ffff:ffff");

        a.Should().Be(b);
        a.ToString().Should().Be("2001:db8:1:2::/64");
        Of("2001:db8:1:3::a").Should().NotBe(a, "the next /64 is another site");
    }

    [Test]
    public void An_IPv4_mapped_address_is_its_IPv4_address()
    {
        Of("::ffff:192.0.2.7").Should().Be(Of("192.0.2.7"));
        Of("192.0.2.7").ToString().Should().Be("192.0.2.7");
        Of("192.0.2.8").Should().NotBe(Of("192.0.2.7"), "IPv4 addresses are not grouped");
    }

    [Test]
    public void Loopback_is_its_own_group()
    {
        Of("::1").Should().NotBe(Of("::2"));
        Of("::1").ToString().Should().Be("::1");
        Of("::1").Should().NotBe(Of("127.0.0.1"));
    }

    [Test]
    public void An_address_on_the_servers_own_link_is_not_grouped_since_its_64_is_the_whole_LAN()
    {
        IReadOnlyList<IPNetwork> lan = [OnLinkNetworks.Network(IPAddress.Parse("2001:db8:1:2::1"), 64)];

        Of("2001:db8:1:2::a", lan).Should().NotBe(Of("2001:db8:1:2::b", lan));
        Of("2001:db8:1:2::a", lan).ToString().Should().Be("2001:db8:1:2::a");
        Of("2001:db8:9:9::a", lan).Should().Be(Of("2001:db8:9:9::b", lan), "off the link, the /64 is one site");
    }

    [Test]
    public void Link_local_addresses_are_not_grouped_since_every_link_has_the_same_fe80_64()
    {
        Of("fe80::1").Should().NotBe(Of("fe80::2"));
    }

    [Test]
    public void A_network_read_off_an_interface_has_its_host_bits_cleared()
    {
        OnLinkNetworks.Network(IPAddress.Parse("2001:db8:1:2:3:4:5:6"), 64).ToString().Should().Be("2001:db8:1:2::/64");
        OnLinkNetworks.Network(IPAddress.Parse("2001:db8:1:2:3:4:5:6"), 60).ToString().Should().Be("2001:db8:1::/60");
    }

    [Test]
    public void Failed_logins_from_one_64_share_the_throttle_when_keyed_by_the_group()
    {
        var throttle = new LoginThrottle(limit: 2, TimeSpan.FromMinutes(5));

        throttle.Failed(Of("2001:db8:1:2::a").Key, "alice");
        throttle.Failed(Of("2001:db8:1:2::b").Key, "bob");

        throttle.RetryAfter(Of("2001:db8:1:2::c").Key, "carol", knownAddress: false).Should().NotBeNull(
            "two failures from two addresses of one /64 reach the limit of 2 for every address of it");
        throttle.RetryAfter(Of("2001:db8:1:3::c").Key, "carol", knownAddress: false).Should().BeNull("another /64 is not throttled");
    }
}
