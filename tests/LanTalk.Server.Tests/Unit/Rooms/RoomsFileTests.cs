using LanTalk.Core.Packets;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>Rooms.xml: a saved state reads back unchanged; a broken file names the file, the line and the fix.</summary>
[TestFixture]
public sealed class RoomsFileTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void A_missing_file_is_an_empty_state()
    {
        RoomsFile.In(_dir.Path).Load().Should().BeEquivalentTo(RoomsSnapshot.Empty);
    }

    [Test]
    public void A_saved_state_reads_back_unchanged()
    {
        var file = RoomsFile.In(_dir.Path);
        var state = new RoomsSnapshot(
            [
                new SavedRoom("Dev", RoomModes.InviteOnly | RoomModes.TopicByAnyone, "ship <it> & \"go\"", "alice", 1_700_000_000_000, ["alice"], ["carol"], [("alice", 1), ("Zoë", 2)]),
                new SavedRoom("lobby", RoomModes.None, string.Empty, string.Empty, 0, [], [], [("bob", 3)]),
            ],
            ["alice"]);

        file.Save(state);

        file.Load().Should().BeEquivalentTo(state);
        Directory.GetFiles(_dir.Path).Should().Equal([file.Path], "the temporary file is renamed over the real one");
    }

    [TestCase("<Rooms><Room name=\"dev\" modes=\"x\" /></Rooms>", "modes=\"x\"", "not a whole number")]
    [TestCase("<Rooms><Room name=\"dev\" /><Room name=\"DEV\" /></Rooms>", "'DEV'", "listed twice")]
    [TestCase("<Rooms><Room name=\"dev\"><Member /></Room></Rooms>", "<Member>", "name=")]
    [TestCase("<Users />", "<Users>", "not <Rooms>")]
    [TestCase("<Rooms><Room name=\"dev\">", "not well-formed", "XML")]
    public void A_broken_file_is_refused_with_file_line_and_fix(string xml, string what, string why)
    {
        var file = RoomsFile.In(_dir.Path);
        File.WriteAllText(file.Path, xml);

        var act = () => file.Load();

        act.Should().Throw<InvalidDataException>()
            .Which.Message.Should().Contain(file.Path).And.Contain("line 1").And.Contain(what).And.Contain(why).And.Contain("Fix the file");
    }
}
