using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>The v3 room and session limits in Settings.xml: defaults as in docs/design/protocol-v3.md, ranges, and the default room's name rule.</summary>
[TestFixture]
public sealed class RoomSettingsTests : TempDirectoryFixture
{
    private ServerSettings Load(string body)
    {
        File.WriteAllText(Dir.File(SettingsFile.FileName), "<?xml version=\"1.0\"?>\n<Settings>\n" + body + "\n</Settings>\n");
        return SettingsFile.Load(Dir.Path).Settings;
    }

    [Test]
    public void Defaults_are_the_design_notes_numbers()
    {
        var s = ServerSettings.Default;

        (s.DefaultRoom, s.AllowRoomCreation, s.MaxRooms, s.MaxRoomsPerUser, s.MaxRoomMembers, s.MaxRoomNameLength)
            .Should().Be(("lobby", true, 1000, 50, 1000, 32));
        (s.MaxTopicBytes, s.MaxAwayBytes, s.MaxSessionsPerUser, s.HistoryOnJoin, s.MaxReplay, s.MaxHistoryPage)
            .Should().Be((390, 256, 8, 50, 500, 200));
    }

    [Test]
    public void Room_settings_are_read_from_the_file()
    {
        var s = Load("<DefaultRoom>Halle</DefaultRoom><MaxSessionsPerUser>2</MaxSessionsPerUser><AllowRoomCreation>false</AllowRoomCreation>");

        s.DefaultRoom.Should().Be("Halle");
        s.MaxSessionsPerUser.Should().Be(2);
        s.AllowRoomCreation.Should().BeFalse();
    }

    [Test]
    public void A_default_room_that_breaks_the_room_name_rule_is_refused_with_the_rule()
    {
        var act = () => Load("<DefaultRoom>#lobby</DefaultRoom>");

        act.Should().Throw<SettingsException>().WithMessage("*DefaultRoom*#lobby*starts with a letter or digit*leave out the '#'*");
    }

    [Test]
    public void A_session_limit_of_zero_is_out_of_range()
    {
        var act = () => Load("<MaxSessionsPerUser>0</MaxSessionsPerUser>");

        act.Should().Throw<SettingsException>().WithMessage("*MaxSessionsPerUser*1*1000*");
    }

    [Test]
    public void A_replay_limit_of_zero_is_out_of_range_since_a_catch_up_must_send_a_message_to_page_on_from()
    {
        var act = () => Load("<MaxReplay>0</MaxReplay>");

        act.Should().Throw<SettingsException>().WithMessage("*MaxReplay*1*100000*");
    }
}
