using LanTalk.Client.Connection;

namespace LanTalk.Client.Tests.Unit;

public sealed class ServerAddressTests
{
    [TestCase("chat.lan", "chat.lan", 65534)]
    [TestCase("chat.lan:7000", "chat.lan", 7000)]
    [TestCase("10.0.0.5:1", "10.0.0.5", 1)]
    [TestCase("[::1]:7000", "::1", 7000)]
    [TestCase("[fe80::1]", "fe80::1", 65534)]
    [TestCase("::1", "::1", 65534)]
    [TestCase("  host  ", "host", 65534)]
    public void Parses_host_and_optional_port(string text, string host, int port)
    {
        ServerAddress.TryParse(text, ServerAddress.DefaultPort, out var address, out string error).Should().BeTrue(error);
        address.Should().Be(new ServerAddress(host, port));
    }

    [TestCase("host:0")]
    [TestCase("host:65536")]
    [TestCase("host:http")]
    [TestCase("host:")]
    [TestCase(":7000")]
    [TestCase("[::1")]
    [TestCase("[::1]x")]
    [TestCase("")]
    public void Rejects_bad_addresses_with_a_reason(string text)
    {
        ServerAddress.TryParse(text, ServerAddress.DefaultPort, out _, out string error).Should().BeFalse();
        error.Should().NotBeEmpty();
    }

    [Test]
    public void Prints_IPv6_in_brackets()
    {
        new ServerAddress("::1", 7).ToString().Should().Be("[::1]:7");
        new ServerAddress("chat.lan", 7).ToString().Should().Be("chat.lan:7");
    }

    [Test]
    public void Knows_whether_a_port_was_written()
    {
        ServerAddress.HasExplicitPort("a:1").Should().BeTrue();
        ServerAddress.HasExplicitPort("a").Should().BeFalse();
        ServerAddress.HasExplicitPort("[::1]:5").Should().BeTrue();
        ServerAddress.HasExplicitPort("::1").Should().BeFalse();
    }
}
