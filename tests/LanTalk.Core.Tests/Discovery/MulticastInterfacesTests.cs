using LanTalk.Core.Discovery;

namespace LanTalk.Core.Tests.Discovery;

/// <summary>Why no interface can carry mDNS, from the interfaces that are up (no sockets): the cause, not a list of guesses.</summary>
public sealed class MulticastInterfacesTests
{
    [Test]
    public void An_IPv6_only_host_is_told_that_discovery_needs_IPv4()
    {
        string why = MulticastInterfaces.WhyNone([new LinkSummary("eth0", Multicast: true, HasIPv4: false, HasIPv6: true)]);

        why.Should().Be("no interface has an IPv4 address (eth0: IPv6 only), and discovery uses IPv4 multicast only");
    }

    [Test]
    public void An_interface_up_without_any_address_yet_is_named()
    {
        string why = MulticastInterfaces.WhyNone([new LinkSummary("wlan0", Multicast: true, HasIPv4: false, HasIPv6: false)]);

        why.Should().Contain("wlan0 is up without one").And.Contain("IPv4");
    }

    [Test]
    public void An_interface_without_multicast_is_named()
    {
        string why = MulticastInterfaces.WhyNone([new LinkSummary("tun0", Multicast: false, HasIPv4: true, HasIPv6: false)]);

        why.Should().Contain("tun0 is up without the multicast flag");
    }

    [Test]
    public void Only_loopback_up_says_so() =>
        MulticastInterfaces.WhyNone([]).Should().Be("no network interface is up besides loopback");
}
