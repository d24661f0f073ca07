using LanTalk.Client.Chat;
using LanTalk.Client.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class RoomCompletionTests
{
    private static readonly string[] Names = ["alice", "bob"];
    private static readonly string[] Rooms = ["lobby", "dev", "design"];

    private static string Complete(string buffer) =>
        Completion.Complete(buffer, buffer.Length, ChatInputParser.Commands, Names, Rooms).Buffer;

    [TestCase("/join lo", "/join lobby ")]
    [TestCase("/go LO", "/go lobby ")]
    [TestCase("/part lo", "/part lobby ")]
    [TestCase("/join #lo", "/join #lobby ")]
    [TestCase("/go de", "/go de")]
    [TestCase("/go des", "/go design ")]
    public void Room_names_complete_after_join_go_and_part(string typed, string completed)
    {
        Complete(typed).Should().Be(completed);
    }

    [Test]
    public void Several_rooms_list_themselves()
    {
        Completion.Complete("/go de", 6, ChatInputParser.Commands, Names, Rooms).Candidates.Should().Equal("design", "dev");
    }

    [Test]
    public void User_names_complete_after_invite_kick_and_who_but_not_rooms()
    {
        Complete("/invite b").Should().Be("/invite bob ");
        Complete("/kick al").Should().Be("/kick alice ");
        Complete("/who b").Should().Be("/who bob ");
        Complete("/invite lo").Should().Be("/invite lo");
    }

    [Test]
    public void Room_commands_complete_from_their_prefix()
    {
        Complete("/jo").Should().Be("/join ");
        Complete("/sea").Should().Be("/search ");
    }
}
