using LanTalk.Server.Cli;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

[TestFixture]
[NonParallelizable]
public sealed class ConfigCommandsTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void Check_prints_every_effective_value_and_marks_the_changed_ones()
    {
        File.WriteAllText(_dir.File("Settings.xml"), "<Settings><Port>6000</Port></Settings>");
        var output = new StringWriter();

        ConfigCommands.Check(_dir.Path, output, new StringWriter()).Should().Be(ExitCodes.Ok);

        string text = output.ToString();
        text.Should().MatchRegex(@"Port\s+6000\s+\(changed from the default 65534\)");
        SettingRules.All.Should().AllSatisfy(r => text.Should().Contain(r.Element));
    }

    [Test]
    public void Check_exits_2_on_a_bad_setting_and_on_a_broken_NLog_config()
    {
        File.WriteAllText(_dir.File("Settings.xml"), "<Settings><Port>-1</Port></Settings>");
        var errors = new StringWriter();
        ConfigCommands.Check(_dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);
        errors.ToString().Should().Contain("<Port>").And.Contain("'-1'");

        File.Delete(_dir.File("Settings.xml"));
        File.WriteAllText(_dir.File("NLog.config"), "<nlog><targets><target name=\"x\" type=\"Nope\" /></targets></nlog>");
        errors = new StringWriter();
        ConfigCommands.Check(_dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);
        errors.ToString().Should().Contain("logging: " + _dir.File("NLog.config"));
    }

    [Test]
    public void Show_defaults_prints_the_shipped_files()
    {
        var output = new StringWriter();

        ConfigCommands.ShowDefaults("all", output);

        output.ToString().Should().Contain("<PasswordIterations>600000</PasswordIterations>").And.Contain("<nlog");
    }
}
