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
    public void A_long_bad_value_is_quoted_cut_short_with_its_length_and_without_controls()
    {
        File.WriteAllText(SettingsPath, $"<Settings><Port>\t9\t{new string('9', 5000)}</Port></Settings>");
        var act = () => SettingsFile.Load(Dir.Path);
        var message = act.Should().Throw<SettingsException>().Which.Message;
        message.Should().Contain("<Port> has the bad value '9?999").And.Contain("(5002 characters)");
        message.Length.Should().BeLessThan(500);
        message.Should().NotContain("\t");
    }

    [Test]
    public void A_settings_file_of_megabytes_is_refused_before_it_is_read()
    {
        File.WriteAllText(SettingsPath, "<Settings><ServerName>" + new string('x', 2 * 1024 * 1024) + "</ServerName></Settings>");
        var act = () => SettingsFile.Load(Dir.Path);
        act.Should().Throw<SettingsException>().WithMessage($"{SettingsPath} is 2 MB; a settings file is a few KB*");
    }

    [Test]
    public void An_xml_declaration_alone_names_no_line_0()
    {
        File.WriteAllText(SettingsPath, "<?xml version=\"1.0\"?>");
        var act = () => SettingsFile.Load(Dir.Path);
        act.Should().Throw<SettingsException>().Which.Message.Should().StartWith(SettingsPath).And.NotContain("line 0");
    }
}
