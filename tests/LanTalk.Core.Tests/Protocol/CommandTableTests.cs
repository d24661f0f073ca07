using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>The command codes and the command/packet table match docs/PROTOCOL.md, entry for entry.</summary>
public sealed class CommandTableTests
{
    [Test]
    public void Command_codes_keep_the_2008_values_and_number_the_new_ones_from_9()
    {
        var expected = new Dictionary<ChatCommand, int>
        {
            [ChatCommand.RequestLogin] = 0,
            [ChatCommand.RequestUsers] = 1,
            [ChatCommand.UserAuthenticated] = 2,
            [ChatCommand.UserConnected] = 3,
            [ChatCommand.UserDisconnected] = 4,
            [ChatCommand.ServerDisconnected] = 5,
            [ChatCommand.PublicMessage] = 6,
            [ChatCommand.PrivateMessage] = 7,
            [ChatCommand.Error] = 8,
            [ChatCommand.Hello] = 9,
            [ChatCommand.Ping] = 10,
            [ChatCommand.Pong] = 11,
            [ChatCommand.Logout] = 12,
            [ChatCommand.Register] = 13,
            [ChatCommand.ServerNotice] = 14,
            [ChatCommand.ListRooms] = 15,
            [ChatCommand.JoinRoom] = 16,
            [ChatCommand.LeaveRoom] = 17,
            [ChatCommand.MemberJoined] = 18,
            [ChatCommand.MemberLeft] = 19,
            [ChatCommand.SetTopic] = 20,
            [ChatCommand.Invite] = 21,
            [ChatCommand.Kick] = 22,
            [ChatCommand.DeleteRoom] = 23,
            [ChatCommand.SetAway] = 24,
            [ChatCommand.WhoIs] = 25,
            [ChatCommand.History] = 26,
            [ChatCommand.Search] = 27,
            [ChatCommand.Receipt] = 28,
            [ChatCommand.Done] = 29,
            [ChatCommand.SetRoomMode] = 30,
        };

        Enum.GetValues<ChatCommand>().ToDictionary(c => c, c => (int)c).Should().Equal(expected);
        CommandTable.IsKnown((ChatCommand)31).Should().BeFalse("31 and up are reserved for a later protocol version");
        CommandTable.IsKnown((ChatCommand)(-1)).Should().BeFalse();
    }

    [Test]
    public void Packet_type_codes_are_0_to_22()
    {
        Enum.GetValues<PacketType>().Select(t => (int)t).Should().Equal(Enumerable.Range(0, 23));
        PacketDecoder.IsKnown((PacketType)23).Should().BeFalse();
    }

    [Test]
    public void Each_command_allows_exactly_the_packet_types_the_specification_lists()
    {
        var expected = new Dictionary<ChatCommand, PacketType[]>
        {
            [ChatCommand.RequestLogin] = [PacketType.Login],
            [ChatCommand.RequestUsers] = [PacketType.Empty, PacketType.UserList],
            [ChatCommand.UserAuthenticated] = [PacketType.Welcome],
            // One change as Presence, or a batch of changes as a UserList.
            [ChatCommand.UserConnected] = [PacketType.Presence, PacketType.UserList],
            [ChatCommand.UserDisconnected] = [PacketType.Presence, PacketType.UserList],
            [ChatCommand.ServerDisconnected] = [PacketType.Error],
            [ChatCommand.PublicMessage] = [PacketType.SendText, PacketType.ChatMessage],
            [ChatCommand.PrivateMessage] = [PacketType.SendText, PacketType.ChatMessage],
            [ChatCommand.Error] = [PacketType.Error],
            [ChatCommand.Hello] = [PacketType.ServerHello, PacketType.ClientHello],
            [ChatCommand.Ping] = [PacketType.Ping],
            [ChatCommand.Pong] = [PacketType.Ping],
            [ChatCommand.Logout] = [PacketType.Empty],
            [ChatCommand.Register] = [PacketType.Login],
            [ChatCommand.ServerNotice] = [PacketType.Notice],
            [ChatCommand.ListRooms] = [PacketType.RoomRequest, PacketType.RoomList],
            [ChatCommand.JoinRoom] = [PacketType.RoomRequest, PacketType.RoomInfo, PacketType.UserList, PacketType.HistoryEnd],
            [ChatCommand.LeaveRoom] = [PacketType.RoomRequest, PacketType.RoomLeft],
            [ChatCommand.MemberJoined] = [PacketType.UserList],
            [ChatCommand.MemberLeft] = [PacketType.UserList],
            [ChatCommand.SetTopic] = [PacketType.RoomRequest, PacketType.Topic],
            [ChatCommand.Invite] = [PacketType.RoomRequest],
            [ChatCommand.Kick] = [PacketType.RoomRequest],
            [ChatCommand.DeleteRoom] = [PacketType.RoomRequest],
            [ChatCommand.SetAway] = [PacketType.RoomRequest, PacketType.Away],
            [ChatCommand.WhoIs] = [PacketType.RoomRequest, PacketType.UserInfo],
            [ChatCommand.History] = [PacketType.HistoryRequest, PacketType.HistoryEnd],
            [ChatCommand.Search] = [PacketType.HistoryRequest, PacketType.HistoryEnd],
            [ChatCommand.Receipt] = [PacketType.Receipt],
            [ChatCommand.Done] = [PacketType.Done],
            [ChatCommand.SetRoomMode] = [PacketType.RoomRequest, PacketType.RoomInfo],
        };

        foreach (var command in Enum.GetValues<ChatCommand>())
        {
            Enum.GetValues<PacketType>().Where(t => CommandTable.Allows(command, t))
                .Should().BeEquivalentTo(expected[command], $"the table row for {command}");
        }
    }

    [Test]
    public void A_v2_client_may_send_exactly_the_pairs_the_specification_lists()
    {
        var expected = new[]
        {
            (ChatCommand.Hello, PacketType.ClientHello),
            (ChatCommand.RequestLogin, PacketType.Login),
            (ChatCommand.Register, PacketType.Login),
            (ChatCommand.RequestUsers, PacketType.Empty),
            (ChatCommand.PublicMessage, PacketType.SendText),
            (ChatCommand.PrivateMessage, PacketType.SendText),
            (ChatCommand.Ping, PacketType.Ping),
            (ChatCommand.Pong, PacketType.Ping),
            (ChatCommand.Logout, PacketType.Empty),
        };

        var allowed = Enum.GetValues<ChatCommand>()
            .SelectMany(c => Enum.GetValues<PacketType>().Select(t => (c, t)))
            .Where(pair => CommandTable.IsClientToServer(pair.c, pair.t, 2));

        allowed.Should().BeEquivalentTo(expected);
    }
}
