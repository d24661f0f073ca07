using LanTalk.Server.Cli;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// A GuestPrefix no user name can start with is refused at start and by `config check`, as a bad DefaultRoom is:
/// it used to pass both and then refuse every guest with "432 Erroneous nickname" (a settings audit, 2026-12-06).
/// </summary>
[TestFixture]
public sealed class GuestPrefixSettingTests : TempDirectoryFixture
{
    private void Write(string body) =>
        File.WriteAllText(Dir.File(SettingsFile.FileName), "<?xml version=\"1.0\"?>\n<Settings>\n<AllowGuests>true</AllowGuests>\n" + body + "\n</Settings>\n");

    [TestCase("<GuestPrefix>g s</GuestPrefix>", "letters, digits, '_', '-' and '.' only")]
    [TestCase("<GuestPrefix>#g</GuestPrefix>", "starts with a letter or digit")]
    [TestCase("<GuestPrefix>[g]</GuestPrefix>", "starts with a letter or digit")]
    [TestCase("<MaxUserNameLength>5</MaxUserNameLength>\n<GuestPrefix>guest-</GuestPrefix>", "raise <MaxUserNameLength> to at least 7")]
    public void A_prefix_no_name_can_start_with_stops_the_start_naming_file_line_and_fix(string body, string why)
    {
        Write(body);

        var act = () => SettingsFile.Load(Dir.Path);

        act.Should().Throw<SettingsException>().Which.Message.Should()
            .Contain(Dir.File(SettingsFile.FileName) + ", line ").And.Contain("<GuestPrefix> '").And.Contain(why).And.Contain("every guest would be refused");
    }

    [Test]
    public void Config_check_exits_2_on_it()
    {
        Write("<GuestPrefix>#g</GuestPrefix>");
        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);

        errors.ToString().Should().Contain("<GuestPrefix> '#g' cannot start a user name");
    }

    [TestCase("<GuestPrefix>guest-</GuestPrefix>")]
    [TestCase("<GuestPrefix></GuestPrefix>")]
    [TestCase("<MaxUserNameLength>7</MaxUserNameLength>\n<GuestPrefix>guest-</GuestPrefix>")]
    public void A_prefix_that_leaves_room_for_a_nick_is_accepted(string body)
    {
        Write(body);

        SettingsFile.Load(Dir.Path).Warnings.Should().BeEmpty();
    }

    [Test]
    public void Without_guests_the_prefix_is_not_judged()
    {
        File.WriteAllText(Dir.File(SettingsFile.FileName), "<Settings><AllowGuests>false</AllowGuests><GuestPrefix>#g</GuestPrefix></Settings>");

        SettingsFile.Load(Dir.Path).Settings.GuestPrefix.Should().Be("#g");
    }
}
