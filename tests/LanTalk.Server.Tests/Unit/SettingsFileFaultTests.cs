using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

/// <summary>A Settings.xml that is not a usable file is an error naming the file and the fix, never "no settings".</summary>
[TestFixture]
public sealed class SettingsFileFaultTests : TempDirectoryFixture
{
    private string SettingsPath => Dir.File(SettingsFile.FileName);

    [Test]
    public void A_directory_named_Settings_xml_is_an_error_not_the_defaults()
    {
        Directory.CreateDirectory(SettingsPath);
        var act = () => SettingsFile.Load(Dir.Path);
        act.Should().Throw<SettingsException>().WithMessage($"{SettingsPath} is a directory*show-defaults*");
    }

    [TestCase("")]
    [TestCase("  \n\n ")]
    public void An_empty_file_says_empty_not_line_0(string content)
    {
        File.WriteAllText(SettingsPath, content);
        var act = () => SettingsFile.Load(Dir.Path);
        act.Should().Throw<SettingsException>().WithMessage($"{SettingsPath} is empty*")
            .Which.Message.Should().NotContain("line 0");
    }

    [Test]
    public void An_xml_declaration_alone_names_no_line_0()
    {
        File.WriteAllText(SettingsPath, "<?xml version=\"1.0\"?>");
        var act = () => SettingsFile.Load(Dir.Path);
        act.Should().Throw<SettingsException>().Which.Message.Should().StartWith(SettingsPath).And.NotContain("line 0");
    }
}
