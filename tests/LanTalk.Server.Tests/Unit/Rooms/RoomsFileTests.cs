using LanTalk.Core.Packets;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>Rooms.xml: a saved state reads back unchanged; a broken file names the file, the line and the fix.</summary>
[TestFixture]
public sealed class RoomsFileTests : TempDirectoryFixture
{
    [Test]
    public void A_missing_file_is_an_empty_state()
    {
        RoomsFile.In(Dir.Path).Load().Should().BeEquivalentTo(RoomsSnapshot.Empty);
    }

    [Test]
    public void A_saved_state_reads_back_unchanged()
    {
        var file = RoomsFile.In(Dir.Path);
        var state = new RoomsSnapshot(
            [
                new SavedRoom("Dev", RoomModes.InviteOnly | RoomModes.TopicByAnyone, "ship <it> & \"go\"", "alice", 1_700_000_000_000, ["alice"], ["carol"], [("alice", 1), ("Zoë", 2)], HistoryFrom: 4711),
                new SavedRoom("lobby", RoomModes.None, string.Empty, string.Empty, 0, [], [], [("bob", 3)]),
            ],
            ["alice"]);

        file.Save(state);

        file.Load().Should().BeEquivalentTo(state);
        Directory.GetFiles(Dir.Path).Should().Equal([file.Path], "the temporary file is renamed over the real one");
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_file_and_its_backup_copy_are_readable_by_the_owner_only()
    {
        // Who is in which invite-only room, and who is invited: 0644 under the usual umask (fault injection, 2026-12-05).
        var file = RoomsFile.In(Dir.Path);
        file.Save(new RoomsSnapshot([new SavedRoom("secret", RoomModes.InviteOnly, string.Empty, string.Empty, 0, ["alice"], ["bob"], [("alice", 1)])], []));
        File.GetUnixFileMode(file.Path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // A Rooms.xml of an older server, world-readable: its copy beside a backup is owner-only all the same.
        File.SetUnixFileMode(file.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var backups = new TempDirectory();
        string copy = RoomsBackup.CopyBeside(Dir.Path, backups.File("b.db"))!;
        File.GetUnixFileMode(copy).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [TestCase("<Rooms><Room name=\"dev\" modes=\"x\" /></Rooms>", "modes=\"x\"", "not a whole number")]
    [TestCase("<Rooms><Room name=\"dev\" /><Room name=\"DEV\" /></Rooms>", "'DEV'", "listed twice")]
    [TestCase("<Rooms><Room name=\"dev\"><Member /></Room></Rooms>", "<Member>", "name=")]
    [TestCase("<Users />", "<Users>", "not <Rooms>")]
    // What this server does not know would be dropped by its next save: each stops the start instead.
    [TestCase("<Rooms version=\"2\"><Room name=\"dev\" /></Rooms>", "version=\"2\"", "newer lantalk-server")]
    [TestCase("<Rooms><Rom name=\"dev\" /></Rooms>", "<Rom>", "the next save would drop it")]
    // A default namespace hid every <Room> from the reader: all rooms were dropped, then saved away.
    [TestCase("<Rooms xmlns=\"urn:x\"><Room name=\"dev\" /></Rooms>", "<Rooms> is in the XML namespace 'urn:x'", "remove xmlns=\"urn:x\"")]
    [TestCase("<Rooms xmlns:a=\"urn:a\"><a:Room name=\"dev\" /></Rooms>", "<Room> is in the XML namespace 'urn:a'", "xmlns:a=\"urn:a\" and the prefix a:")]
    [TestCase("<Rooms><Room name=\"dev\"><Membr name=\"bob\" /></Room></Rooms>", "<Membr>", "only <Topic>, <Owner>, <Invited>, <Member>")]
    [TestCase("<Rooms><Room name=\"dev\"><Topic>a</Topic><Topic>b</Topic></Room></Rooms>", "'dev'", "more than one <Topic>")]
    [TestCase("<Rooms><Room name=\"dev\" archived=\"true\"><Member name=\"a\" /></Room></Rooms>", "<Room> has the attribute archived=\"true\"", "the next save would drop it")]
    [TestCase("<Rooms><Room name=\"dev\"><Member name=\"a\" muted=\"1\" /></Room></Rooms>", "<Member> has the attribute muted=\"1\"", "only name, joined")]
    [TestCase("<Rooms><Room name=\"dev\"><Topic escaped=\"maybe\">a</Topic></Room></Rooms>", "escaped=\"maybe\"", "neither true nor false")]
    [TestCase("<Rooms><Room name=\"dev\"><Topic escaped=\"true\">a\\qb</Topic></Room></Rooms>", "escaped <Topic> of room 'dev'", "write a backslash as two")]
    // Names and topics go to clients as they are: a space breaks IRC lines, an over-long topic the RoomInfo frame.
    [TestCase("<Rooms><Room name=\"dev\"><Member name=\"bob smith\" /></Room></Rooms>", "name=\"bob smith\"", "not a valid user name")]
    [TestCase("<Rooms><Room name=\"dev\"><Owner name=\"a:b\" /></Room></Rooms>", "<Owner name=\"a:b\">", "not a valid user name")]
    [TestCase("<Rooms><Room name=\"dev\"><Topic by=\"x y\">hi</Topic></Room></Rooms>", "by=\"x y\"", "not a valid user name")]
    [TestCase("<Rooms><LeftDefault name=\"\u00a0\" /></Rooms>", "<LeftDefault", "not a valid user name")]
    [TestCase("<Rooms><Room name=\"dev\">", "not well-formed", "XML")]
    // What the server would silently alter and then save: two join times for one user, an unknown mode bit read as
    // invite-only, an owner who is not in the room.
    [TestCase("<Rooms><Room name=\"lobby\"><Member name=\"u2\" joined=\"5\" /><Member name=\"U2\" joined=\"1\" /></Room></Rooms>", "member 'U2' twice (as 'u2' on line 1", "keep one of the two <Member> lines")]
    [TestCase("<Rooms><Room name=\"dev\" modes=\"999999999999\"><Owner name=\"a\" /><Member name=\"a\" /></Room></Rooms>", "room 'dev' has modes=\"999999999999\"", "allowed: 0 (open), 1 (invite-only)")]
    [TestCase("<Rooms><Room name=\"dev\" modes=\"4\"><Owner name=\"a\" /><Member name=\"a\" /></Room></Rooms>", "modes=\"4\"", "not a room mode")]
    [TestCase("<Rooms><Room name=\"other\"><Owner name=\"u5\" /><Member name=\"u2\" joined=\"1\" /></Room></Rooms>", "<Owner name=\"u5\"> of room 'other' is not a member", "add <Member name=\"u5\"")]
    // A defaultRoom that is no room name was taken as a rename of the default room: whoever had left it was put back.
    [TestCase("<Rooms defaultRoom=\"-1\"><LeftDefault name=\"bob\" /></Rooms>", "<Rooms defaultRoom=\"-1\"> is not a room name", "write the DefaultRoom of Settings.xml")]
    [TestCase("<Rooms defaultRoom=\"\"><LeftDefault name=\"bob\" /></Rooms>", "<Rooms defaultRoom=\"\"> is not a room name", "remove the attribute")]
    [TestCase("<Rooms defaultRoom=\"a#b\"><LeftDefault name=\"bob\" /></Rooms>", "<Rooms defaultRoom=\"a#b\"> is not a room name", "<LeftDefault>")]
    [TestCase("<Rooms defaultroom=\"lobby\" />", "<Rooms> has the attribute defaultroom=\"lobby\"", "only version, defaultRoom")]
    [TestCase("<Rooms><Room name=\"dev\"><Member name=\"a\" joined=\"9999999999999999\" /></Room></Rooms>", "joined=\"9999999999999999\"> is not a time", "the year 9999")]
    [TestCase("<Rooms><Account name=\"a\" created=\"9999999999999999\" /></Rooms>", "created=\"9999999999999999\"> is not a time", "the year 9999")]
    public void A_broken_file_is_refused_with_file_line_and_fix(string xml, string what, string why)
    {
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, xml);

        var act = () => file.Load();

        act.Should().Throw<InvalidDataException>()
            .Which.Message.Should().Contain(file.Path).And.Contain("line 1").And.Contain(what).And.Contain(why).And.Contain("Fix the file");
    }

    [Test]
    public void A_room_with_members_and_no_owner_gets_its_longest_member_as_owner_with_a_warning()
    {
        // "A room other than the default room always has an owner while it has members": it was loaded ownerless.
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms><Room name=\"lobby\"><Member name=\"u0\" joined=\"1\" /></Room>"
            + "<Room name=\"other\"><Member name=\"zed\" joined=\"5\" /><Member name=\"Bea\" joined=\"3\" /><Member name=\"al\" joined=\"3\" /></Room></Rooms>");

        var repaired = OwnerlessRooms.GiveOwners(file.Load(), "lobby", file.Path, _ => true, out var repairs);

        repaired.Rooms.Single(r => r.Name == "other").Owners.Should().Equal("al");
        repaired.Rooms.Single(r => r.Name == "lobby").Owners.Should().BeEmpty("the default room has no owner");
        repairs.Should().ContainSingle().Which.Message.Should().Contain(file.Path).And.Contain("room 'other'").And.Contain("no <Owner>").And.Contain("'al'");
    }

    [Test]
    public void A_member_without_an_account_never_inherits_a_room_and_a_room_of_only_such_members_stays_ownerless()
    {
        // 'nobody' (an account removed while the server was stopped) was made the owner: nobody could manage the room,
        // and a new account under that name would have inherited it.
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms><Room name=\"other\"><Member name=\"nobody\" joined=\"1\" /><Member name=\"bea\" joined=\"3\" /></Room>"
            + "<Room name=\"ghosts\"><Member name=\"nobody\" joined=\"1\" /></Room></Rooms>");

        var repaired = OwnerlessRooms.GiveOwners(file.Load(), "lobby", file.Path, name => name != "nobody", out var repairs);

        repaired.Rooms.Single(r => r.Name == "other").Owners.Should().Equal("bea");
        repaired.Rooms.Single(r => r.Name == "ghosts").Owners.Should().BeEmpty();
        repairs.Single(r => r.Room == "ghosts").Message.Should().Contain("none of them ('nobody') has an account").And.Contain("until a user with an account joins it");
    }

    [Test]
    public void The_server_applies_the_owner_repair_and_saves_it()
    {
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms><Room name=\"other\"><Member name=\"u2\" joined=\"1\" /></Room></Rooms>");
        var settings = LanTalk.Server.Settings.ServerSettings.Default;

        var registry = new RoomRegistry(() => settings, name => name, file);
        registry.FlushPresence(final: true);

        file.Load().Rooms.Single(r => r.Name == "other").Owners.Should().Equal("u2");
    }

    [Test]
    public void A_historyFrom_above_every_id_handed_out_is_lowered_to_the_last_id_and_saved()
    {
        // It hid the room's whole history, and everything sent to it afterwards, without a word.
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms><Room name=\"fresh\" historyFrom=\"999999999\"><Member name=\"alice\" joined=\"1\" /></Room></Rooms>");
        var settings = LanTalk.Server.Settings.ServerSettings.Default;

        new RoomRegistry(() => settings, name => name, file).HistoryFromOf("fresh").Should().Be(999_999_999, "without a store there are no ids to check against");
        var registry = new RoomRegistry(() => settings, name => name, file, () => 50_000);
        registry.FlushPresence(final: true);

        registry.HistoryFromOf("fresh").Should().Be(50_000, "messages sent from now on get ids above it and are shown");
        file.Load().Rooms.Single(r => r.Name == "fresh").HistoryFrom.Should().Be(50_000, "the repair is saved");
    }

    [Test]
    public void A_topic_longer_than_the_protocol_carries_is_refused()
    {
        // A 70,000-byte topic made every v3 login of a member of that room fail with InternalError (uint16 overflow).
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, $"<Rooms><Room name=\"lobby\"><Topic by=\"alice\" time=\"1\">{new string('t', RoomsFile.MaxTopicBytes + 1)}</Topic></Room></Rooms>");

        var act = () => file.Load();

        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(file.Path).And.Contain("<Topic> of room 'lobby'").And.Contain($"at most {RoomsFile.MaxTopicBytes}");
        File.WriteAllText(file.Path, $"<Rooms><Room name=\"lobby\"><Topic by=\"alice\" time=\"1\">{new string('t', RoomsFile.MaxTopicBytes)}</Topic></Room></Rooms>");
        file.Load().Rooms.Single().Topic.Should().HaveLength(RoomsFile.MaxTopicBytes);
    }

    [Test]
    public void A_directory_named_Rooms_xml_is_refused_not_read_as_no_rooms()
    {
        // File.Exists is false for a directory: the server started with no rooms and every save then failed.
        var file = RoomsFile.In(Dir.Path);
        Directory.CreateDirectory(file.Path);

        var act = () => file.Load();

        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain($"{file.Path} is a directory, not a file").And.Contain("Move it away");
    }
}
