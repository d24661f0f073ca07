using System.Buffers.Binary;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Unit;

/// <summary>The v3 packets (docs/design/protocol-v3.md): every truncation is a violation, counts are checked before allocation, and trailing fields are optional.</summary>
public sealed class V3PacketTests
{
    private static IEnumerable<TestCaseData> V3Packets()
    {
        yield return Case(new RoomRequestPacket(7, RoomModes.InviteOnly, 99, "name", "text"));
        yield return Case(new RoomInfoPacket(7, RoomModes.Default, "topic", "alice", 5, 3, ["alice", "bob"]));
        yield return Case(new RoomListPacket([new RoomSummary("lobby", RoomModes.Default, 12, "welcome")], More: true));
        yield return Case(new RoomLeftPacket(3, RoomLeftReason.Deleted, "alice", "bye"));
        yield return Case(new TopicPacket(4, "release", "bob", 11));
        yield return Case(new AwayPacket("bob", "lunch", 9));
        yield return Case(new UserInfoPacket(5, "bob", "lunch", [new SessionSummary(1, "lantalk", 10, 3)]));
        yield return Case(new HistoryRequestPacket(6, HistoryScope.Room, 100, 5, 200, "needle"));
        yield return Case(new HistoryEndPacket(6, 2, 40, 11, 12));
        yield return Case(new ReceiptPacket(77, "bob", 1));
        yield return Case(new DonePacket(8));
    }

    private static TestCaseData Case(IPacket packet) => new TestCaseData(packet).SetArgDisplayNames(packet.Type.ToString());

    private static byte[] Body(IPacket packet)
    {
        var body = new byte[packet.MeasureBody()];
        var writer = new WireWriter(body);
        packet.WriteBody(ref writer);
        writer.Written.Should().Be(body.Length, "MeasureBody must size the body exactly");
        return body;
    }

    [TestCaseSource(nameof(V3Packets))]
    public void Body_round_trips(IPacket packet)
    {
        PacketDecoder.Decode(packet.Type, Body(packet), ProtocolLimits.Default)
            .Should().BeEquivalentTo(packet, options => options.RespectingRuntimeTypes());
    }

    [TestCaseSource(nameof(V3Packets))]
    public void Every_truncated_body_is_a_protocol_violation(IPacket packet)
    {
        var body = Body(packet);
        for (int length = 0; length < body.Length; length++)
        {
            var act = () => PacketDecoder.Decode(packet.Type, body.AsSpan(0, length), ProtocolLimits.Default);
            act.Should().Throw<ProtocolViolationException>($"a body cut to {length} of {body.Length} bytes is incomplete")
                .Which.Code.Should().Be(ErrorCode.ProtocolViolation);
        }
    }

    [TestCaseSource(nameof(V3Packets))]
    public void ToString_names_the_packet(IPacket packet) =>
        packet.ToString().Should().StartWith(packet.Type.ToString());

    [TestCase(PacketType.RoomInfo, 4 + 4 + 2 + 2 + 8 + 4)]
    [TestCase(PacketType.RoomList, 0)]
    [TestCase(PacketType.UserInfo, 4 + 2 + 2)]
    public void A_huge_declared_count_is_refused_before_anything_is_allocated(PacketType type, int countOffset)
    {
        // The fixed fields, then a count of int.MaxValue and a few bytes: the reader must refuse it, not allocate 2^31 slots.
        var body = new byte[countOffset + 4 + 16];
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(countOffset), int.MaxValue);

        var act = () => PacketDecoder.Decode(type, body, ProtocolLimits.Default);

        act.Should().Throw<ProtocolViolationException>().WithMessage("*declares 2147483647 entries*");
    }

    [TestCase(PacketType.RoomInfo, 4 + 4 + 2 + 2 + 8 + 4)]
    [TestCase(PacketType.RoomList, 0)]
    [TestCase(PacketType.UserInfo, 4 + 2 + 2)]
    public void A_negative_count_is_refused(PacketType type, int countOffset)
    {
        var body = new byte[countOffset + 4 + 16];
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(countOffset), -1);

        var act = () => PacketDecoder.Decode(type, body, ProtocolLimits.Default);

        act.Should().Throw<ProtocolViolationException>().WithMessage("*declares -1 entries*");
    }

    [Test]
    public void A_room_name_over_128_bytes_is_refused()
    {
        var body = Body(new RoomRequestPacket(1, Name: new string('x', 129)));

        var act = () => PacketDecoder.Decode(PacketType.RoomRequest, body, ProtocolLimits.Default);

        act.Should().Throw<ProtocolViolationException>().WithMessage("*name is 129 bytes; the limit is 128*");
    }

    [Test]
    public void A_v2_ChatMessage_body_reads_with_v3_defaults()
    {
        var full = Body(new ChatMessagePacket(5, 6, "alice", 7, "hi", ChatMessageKind.Action, MessageMarks.Mirror, 9));

        var v2 = (ChatMessagePacket)PacketDecoder.Decode(PacketType.ChatMessage, full.AsSpan(0, full.Length - ChatMessageFrame.TrailerSize), ProtocolLimits.Default);

        v2.Should().Be(new ChatMessagePacket(5, 6, "alice", 7, "hi"));
        v2.Kind.Should().Be(ChatMessageKind.Text);
        v2.Flags.Should().Be(MessageMarks.None);
        v2.OriginSessionId.Should().Be(0UL);
    }

    [Test]
    public void A_v2_SendText_and_Welcome_read_with_v3_defaults()
    {
        var send = Body(new SendTextPacket(3, "hi", ChatMessageKind.Action));
        ((SendTextPacket)PacketDecoder.Decode(PacketType.SendText, send.AsSpan(0, send.Length - 1), ProtocolLimits.Default))
            .Kind.Should().Be(ChatMessageKind.Text);

        var welcome = Body(new WelcomePacket("alice", 1, 2, 4));
        ((WelcomePacket)PacketDecoder.Decode(PacketType.Welcome, welcome.AsSpan(0, welcome.Length - 2), ProtocolLimits.Default))
            .SessionCount.Should().Be(0);
    }

    [Test]
    public void The_fan_out_writer_lays_out_the_v3_trailer_exactly_as_the_packet_does()
    {
        var packet = new ChatMessagePacket(5, 6, "alice", 7, "hi", ChatMessageKind.Action, MessageMarks.Stored, 42);
        var frame = new byte[ChatMessageFrame.Measure(3, 5, 2)];
        ChatMessageFrame.Write(frame, ChatCommand.PrivateMessage, "bob"u8, 5, 6, "alice"u8, 7, "hi"u8, ChatMessageKind.Action, MessageMarks.Stored, 42);

        frame.Should().Equal(FrameCodec.Serialize(ChatCommand.PrivateMessage, "bob", packet));
        ChatMessageFrame.ReadSendText(Body(new SendTextPacket(1, "x", ChatMessageKind.Action)), 10, out _, out var kind);
        kind.Should().Be(ChatMessageKind.Action);
    }
}
