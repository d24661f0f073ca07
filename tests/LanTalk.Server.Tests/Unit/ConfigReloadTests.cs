using LanTalk.Server.Hosting;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

[TestFixture]
public sealed class ConfigReloadTests
{
    [Test]
    public void Live_elements_are_applied_and_the_others_are_named_for_a_restart()
    {
        var current = ServerSettings.Default;
        var fresh = current with { MaxClients = 100, IdleTimeoutSeconds = 90, Port = 7000, PasswordIterations = 700_000 };

        var (merged, applied, needRestart) = ConfigReload.Merge(current, fresh);

        merged.Should().Be(current with { MaxClients = 100, IdleTimeoutSeconds = 90 });
        applied.Should().Equal("MaxClients 32 -> 100", "IdleTimeoutSeconds 45 -> 90");
        needRestart.Should().Equal("Port (65534 -> 7000)", "PasswordIterations (600000 -> 700000)");
    }

    [Test]
    public void Every_live_element_is_a_setting() =>
        ConfigReload.LiveElements.Should().AllSatisfy(e => SettingRules.Find(e).Should().NotBeNull());
}
