using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Unit;

/// <summary>Which pairs each direction may send per negotiated version: a v2 session never meets a v3 command.</summary>
public sealed class VersionedCommandTableTests
{
    private static IEnumerable<(ChatCommand Command, PacketType Type)> AllPairs() =>
        Enum.GetValues<ChatCommand>().SelectMany(c => Enum.GetValues<PacketType>().Select(t => (c, t)));

    [Test]
    public void A_v3_client_may_send_the_v2_pairs_and_the_v3_requests()
    {
        var v3Only = AllPairs().Where(p => CommandTable.IsClientToServer(p.Command, p.Type, 3) && !CommandTable.IsClientToServer(p.Command, p.Type, 2));

        v3Only.Should().BeEquivalentTo(new[]
        {
            (ChatCommand.ListRooms, PacketType.RoomRequest),
            (ChatCommand.JoinRoom, PacketType.RoomRequest),
            (ChatCommand.LeaveRoom, PacketType.RoomRequest),
            (ChatCommand.SetTopic, PacketType.RoomRequest),
            (ChatCommand.Invite, PacketType.RoomRequest),
            (ChatCommand.Kick, PacketType.RoomRequest),
            (ChatCommand.DeleteRoom, PacketType.RoomRequest),
            (ChatCommand.SetAway, PacketType.RoomRequest),
            (ChatCommand.WhoIs, PacketType.RoomRequest),
            (ChatCommand.SetRoomMode, PacketType.RoomRequest),
            (ChatCommand.History, PacketType.HistoryRequest),
            (ChatCommand.Search, PacketType.HistoryRequest),
        });
    }

    [Test]
    public void No_v3_command_travels_to_or_from_a_v2_session()
    {
        AllPairs().Where(p => CommandTable.IntroducedIn(p.Command) == 3)
            .Where(p => CommandTable.IsClientToServer(p.Command, p.Type, 2) || CommandTable.IsServerToClient(p.Command, p.Type, 2))
            .Should().BeEmpty();
    }

    [Test]
    public void Every_pair_either_direction_sends_is_a_pair_the_frame_parser_accepts()
    {
        foreach (var (command, type) in AllPairs())
        {
            if (CommandTable.IsClientToServer(command, type, 3) || CommandTable.IsServerToClient(command, type, 3))
            {
                CommandTable.Allows(command, type).Should().BeTrue($"{command} with {type} is sent, so it must parse");
            }
        }
    }

    [Test]
    public void The_server_answers_v3_requests_with_the_bodies_the_design_note_lists()
    {
        CommandTable.IsServerToClient(ChatCommand.JoinRoom, PacketType.RoomInfo, 3).Should().BeTrue();
        CommandTable.IsServerToClient(ChatCommand.JoinRoom, PacketType.UserList, 3).Should().BeTrue("the member list follows RoomInfo");
        CommandTable.IsServerToClient(ChatCommand.JoinRoom, PacketType.HistoryEnd, 3).Should().BeTrue("the replay ends with it");
        CommandTable.IsServerToClient(ChatCommand.MemberJoined, PacketType.UserList, 3).Should().BeTrue();
        CommandTable.IsServerToClient(ChatCommand.Done, PacketType.Done, 3).Should().BeTrue();
        CommandTable.IsServerToClient(ChatCommand.JoinRoom, PacketType.RoomRequest, 3).Should().BeFalse("that is the request");
        CommandTable.IsClientToServer(ChatCommand.Done, PacketType.Done, 3).Should().BeFalse("only the server answers Done");
    }
}
