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
        };

        Enum.GetValues<ChatCommand>().ToDictionary(c => c, c => (int)c).Should().Equal(expected);
        CommandTable.IsKnown((ChatCommand)15).Should().BeFalse("15 and up are reserved for a later protocol version");
        CommandTable.IsKnown((ChatCommand)(-1)).Should().BeFalse();
    }

    [Test]
    public void Packet_type_codes_are_0_to_11()
    {
        Enum.GetValues<PacketType>().Select(t => (int)t).Should().Equal(Enumerable.Range(0, 12));
        PacketDecoder.IsKnown((PacketType)12).Should().BeFalse();
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
        };

        foreach (var command in Enum.GetValues<ChatCommand>())
        {
            Enum.GetValues<PacketType>().Where(t => CommandTable.Allows(command, t))
                .Should().BeEquivalentTo(expected[command], $"the table row for {command}");
        }
    }

    [Test]
    public void Client_may_send_exactly_the_pairs_the_specification_lists()
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
            .Where(pair => CommandTable.IsClientToServer(pair.c, pair.t));

        allowed.Should().BeEquivalentTo(expected);
    }
}
