using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>Every packet type survives Serialize, TryReadFrame, RawFrame.Parse and ReadPacket unchanged.</summary>
public sealed class PacketRoundTripTests
{
    // Two-, three- and four-byte UTF-8, right-to-left scripts, combining marks and ZWJ emoji sequences.
    private const string Emoji = "👋🏽 👨‍👩‍👧‍👦 🏳️‍🌈";
    private const string Rtl = "שלום עולם مرحبا بالعالم";
    private const string Mixed = "Zoë naïve café 日本語 Ελληνικά e\u0301 \u202Ebidi\u202C";

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case(ChatCommand.RequestUsers, string.Empty, EmptyPacket.Instance);
        yield return Case(ChatCommand.Hello, string.Empty, new ServerHelloPacket(
            2, 2, $"LanTalk {Emoji}", 65536, 32, 4096, 30, 45, 1_732_000_000_123, ServerFeatures.Registration));
        yield return Case(ChatCommand.Hello, string.Empty, new ClientHelloPacket(2, $"client {Rtl}"));
        yield return Case(ChatCommand.Register, string.Empty, new LoginPacket("Zoë_日本-1.x", $"pässwörd {Emoji}"));
        yield return Case(ChatCommand.UserAuthenticated, string.Empty, new WelcomePacket("مرحبا", ulong.MaxValue, long.MinValue));
        yield return Case(ChatCommand.RequestUsers, string.Empty, new UserListPacket(
            [new OnlineUser("alice", 1), new OnlineUser("Zoë", -1), new OnlineUser("שלום", long.MaxValue), new OnlineUser("日本", 0)]));
        yield return Case(ChatCommand.RequestUsers, string.Empty, new UserListPacket([new OnlineUser("first-part", 5)], More: true));
        yield return Case(ChatCommand.UserConnected, string.Empty, new PresencePacket("Ελληνικά", 1_732_000_000_000));
        yield return Case(ChatCommand.UserDisconnected, string.Empty, new UserListPacket([new OnlineUser("bob", 7), new OnlineUser("Zoë", 8)]));
        yield return Case(ChatCommand.MemberLeft, "dev", new UserListPacket([new OnlineUser("bob", 7), new OnlineUser("Zoë", 8)], false,
            [new MemberDeparture(RoomLeftReason.Kicked, "alice", $"spam {Emoji}"), new MemberDeparture(RoomLeftReason.Left, string.Empty, string.Empty)]));
        yield return Case(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(uint.MaxValue, $"{Mixed} {Rtl} {Emoji}"));
        yield return Case(ChatCommand.PrivateMessage, "שלום", new ChatMessagePacket(
            ulong.MaxValue - 1, 1_732_000_000_999, "Zoë", 42, $"{Emoji}\n{Rtl}\t{Mixed}"));
        yield return Case(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.UserOffline, $"'{Rtl}' is offline", 7));
        yield return Case(ChatCommand.Ping, string.Empty, new PingPacket(0xDEADBEEF_CAFEBABE));
        yield return Case(ChatCommand.ServerNotice, string.Empty, new NoticePacket(-5, $"maintenance {Emoji} {Rtl}"));
        // Version 3.
        yield return Case(ChatCommand.JoinRoom, "Zoë-room", new RoomRequestPacket(7, RoomModes.InviteOnly, 99, "name", $"text {Emoji}"));
        yield return Case(ChatCommand.JoinRoom, "lobby", new RoomInfoPacket(7, RoomModes.Default | RoomModes.YouOwn, $"topic {Rtl}", "alice", 5, 3, ["alice", "Zoë"]));
        yield return Case(ChatCommand.ListRooms, string.Empty, new RoomListPacket(
            [new RoomSummary("lobby", RoomModes.Default, 12, "welcome"), new RoomSummary("日本", RoomModes.InviteOnly, 2, string.Empty)], More: true));
        yield return Case(ChatCommand.LeaveRoom, "dev", new RoomLeftPacket(3, RoomLeftReason.Kicked, "alice", "spam"));
        yield return Case(ChatCommand.SetTopic, "dev", new TopicPacket(4, $"release {Emoji}", "Zoë", 1_732_000_000_000));
        yield return Case(ChatCommand.SetAway, string.Empty, new AwayPacket("bob", "lunch", 9));
        yield return Case(ChatCommand.WhoIs, string.Empty, new UserInfoPacket(5, "bob", "lunch",
            [new SessionSummary(1, "lantalk on host-a", 10, 3), new SessionSummary(ulong.MaxValue, Rtl, -1, 2)]));
        yield return Case(ChatCommand.History, "dev", new HistoryRequestPacket(6, HistoryScope.Private, 100, 5, 200, "needle"));
        yield return Case(ChatCommand.History, "dev", new HistoryEndPacket(6, 2, 40, 11, 12));
        yield return Case(ChatCommand.Receipt, string.Empty, new ReceiptPacket(77, "bob", 1_732_000_000_001));
        yield return Case(ChatCommand.Done, string.Empty, new DonePacket(uint.MaxValue));
        yield return Case(ChatCommand.PublicMessage, "dev", new ChatMessagePacket(
            12, 1_732_000_000_999, "Zoë", 42, "waves", ChatMessageKind.Action, MessageMarks.Mirror | MessageMarks.History, 17));
        yield return Case(ChatCommand.PublicMessage, "dev", new SendTextPacket(3, "waves", ChatMessageKind.Action));
        yield return Case(ChatCommand.UserAuthenticated, string.Empty, new WelcomePacket("alice", 5, 6, SessionCount: 3));
    }

    private static TestCaseData Case(ChatCommand command, string target, IPacket packet) =>
        new TestCaseData(command, target, packet).SetArgDisplayNames(packet.Type.ToString(), command.ToString(), $"{packet}");

    [TestCaseSource(nameof(Cases))]
    public void Packet_survives_a_round_trip_through_the_frame_codec(ChatCommand command, string target, IPacket packet)
    {
        var bytes = FrameCodec.Serialize(command, target, packet);

        var decoded = DecodedFrame.FromWire(bytes);

        decoded.Command.Should().Be(command);
        decoded.Target.Should().Be(target);
        decoded.Packet.Should().BeOfType(packet.GetType());
        decoded.Packet.Should().BeEquivalentTo(packet, options => options.RespectingRuntimeTypes());
        bytes.Length.Should().Be(FrameCodec.Measure(target, packet), "Measure must size the frame exactly");
    }

    [Test]
    public void Round_trip_cases_cover_every_packet_type_in_the_closed_table()
    {
        var covered = Cases().Select(c => ((IPacket)c.Arguments[2]!).Type).ToHashSet();

        covered.Should().BeEquivalentTo(Enum.GetValues<PacketType>());
    }

    [Test]
    public void Empty_user_list_and_empty_strings_round_trip()
    {
        DecodedFrame.FromWire(FrameCodec.Serialize(ChatCommand.RequestUsers, string.Empty, new UserListPacket([])))
            .Packet.Should().BeOfType<UserListPacket>().Which.Users.Should().BeEmpty();
        DecodedFrame.FromWire(FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(0, string.Empty)))
            .Packet.Should().Be(new SendTextPacket(0, string.Empty));
    }

    [Test]
    public void String_near_the_uint16_length_limit_round_trips_inside_a_64_KiB_frame()
    {
        // The codec bounds a string only by its uint16 prefix and the frame; MaxMessageBytes is the server's rule.
        string text = new('x', ushort.MaxValue - 100);
        var packet = new SendTextPacket(1, text);

        DecodedFrame.FromWire(FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, packet)).Packet.Should().Be(packet);
    }

    [Test]
    public void Target_with_four_byte_characters_round_trips_byte_for_byte()
    {
        string target = "😀😀😀";
        var bytes = FrameCodec.Serialize(ChatCommand.PrivateMessage, target, new SendTextPacket(3, "hi"));

        DecodedFrame.FromWire(bytes).Target.Should().Be(target);
        System.Text.Encoding.UTF8.GetByteCount(target).Should().Be(12);
    }
}
