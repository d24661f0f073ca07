using System.Xml.Linq;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.Discovery;

/// <summary>The three Discovery elements of Settings.xml: defaults, accepted values, and errors that name the element.</summary>
public sealed class DiscoverySettingsTests
{
    private static ServerSettings Parse(string body) =>
        SettingsFile.Parse(XDocument.Parse($"<Settings>{body}</Settings>", LoadOptions.SetLineInfo), "Settings.xml").Settings;

    [Test]
    public void Discovery_is_on_with_the_host_name_and_no_silent_pinning_by_default()
    {
        ServerSettings.Default.Discovery.Should().Be(DiscoveryMode.On);
        ServerSettings.Default.DiscoveryName.Should().BeEmpty();
        ServerSettings.Default.DiscoveryPinOnFirstUse.Should().BeFalse();
    }

    [Test]
    public void The_elements_are_read()
    {
        var settings = Parse("<Discovery>Off</Discovery><DiscoveryName>Office Chat</DiscoveryName><DiscoveryPinOnFirstUse>true</DiscoveryPinOnFirstUse>");

        settings.Discovery.Should().Be(DiscoveryMode.Off);
        settings.DiscoveryName.Should().Be("Office Chat");
        settings.DiscoveryPinOnFirstUse.Should().BeTrue();
    }

    [TestCase("<Discovery>yes</Discovery>", "<Discovery>", "On or Off")]
    [TestCase("<Discovery>on</Discovery>", "<Discovery>", "On or Off")]
    [TestCase("<DiscoveryPinOnFirstUse>1</DiscoveryPinOnFirstUse>", "<DiscoveryPinOnFirstUse>", "true or false")]
    public void A_bad_value_names_the_element_and_what_is_allowed(string body, string element, string allowed) =>
        FluentActions.Invoking(() => Parse(body)).Should().Throw<SettingsException>().Which.Message.Should().Contain(element).And.Contain(allowed);

    [Test]
    public void An_instance_name_over_63_UTF8_bytes_is_refused_even_in_fewer_characters()
    {
        string accented = new('é', 40);

        FluentActions.Invoking(() => Parse($"<DiscoveryName>{accented}</DiscoveryName>")).Should().Throw<SettingsException>()
            .Which.Message.Should().Contain("Settings.xml").And.Contain("<DiscoveryName>").And.Contain("63 bytes in UTF-8");
        Parse($"<DiscoveryName>{new string('é', 31)}</DiscoveryName>").DiscoveryName.Should().Be(new string('é', 31), "62 bytes fit one label");
        Parse($"<DiscoveryName>{new string('x', 63)}</DiscoveryName>").DiscoveryName.Should().HaveLength(63);
    }

    [Test]
    public void An_instance_name_over_63_characters_is_refused() =>
        FluentActions.Invoking(() => Parse($"<DiscoveryName>{new string('x', 64)}</DiscoveryName>")).Should().Throw<SettingsException>().Which.Message.Should().Contain("<DiscoveryName>");
}
