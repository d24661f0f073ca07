using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>RawFrame.Parse rejects every malformed header with ProtocolViolation before a body is decoded.</summary>
public sealed class FrameHeaderTests
{
    private static readonly byte[] PingBody = new Bytes().I64(1).ToArray();

    [TestCase(15, TestName = "Command 15, the first reserved code, is a ProtocolViolation")]
    [TestCase(255)]
    [TestCase(-1)]
    [TestCase(int.MaxValue)]
    [TestCase(int.MinValue)]
    public void Unknown_command_is_a_ProtocolViolation(int command) =>
        ParseCode(Bytes.Payload(command, [], (int)PacketType.Ping, PingBody)).Should().Be(ErrorCode.ProtocolViolation);

    [TestCase(12, TestName = "Packet type 12, the first unassigned code, is a ProtocolViolation")]
    [TestCase(0xFFFF)]
    public void Unknown_packet_type_is_a_ProtocolViolation(int packetType) =>
        ParseCode(Bytes.Payload((int)ChatCommand.Ping, [], packetType, PingBody)).Should().Be(ErrorCode.ProtocolViolation);

    [TestCase(ChatCommand.RequestLogin, PacketType.SendText)]
    [TestCase(ChatCommand.Register, PacketType.Empty)]
    [TestCase(ChatCommand.PublicMessage, PacketType.Login)]
    [TestCase(ChatCommand.Ping, PacketType.Empty)]
    [TestCase(ChatCommand.Logout, PacketType.Login)]
    [TestCase(ChatCommand.Error, PacketType.Notice)]
    [TestCase(ChatCommand.Hello, PacketType.Welcome)]
    [TestCase(ChatCommand.UserConnected, PacketType.Welcome)]
    public void Command_carrying_a_packet_type_it_does_not_allow_is_a_ProtocolViolation(ChatCommand command, PacketType type)
    {
        // A body that is valid for the packet type, so only the pairing is wrong.
        var body = new Bytes().Raw(new byte[64]).ToArray();

        ParseCode(Bytes.Payload(command, type, body)).Should().Be(ErrorCode.ProtocolViolation);
    }

    [Test]
    public void Every_command_and_packet_type_pair_parses_exactly_when_the_command_table_allows_it()
    {
        var body = new byte[64];
        foreach (var command in Enum.GetValues<ChatCommand>())
        {
            foreach (var type in Enum.GetValues<PacketType>())
            {
                var payload = Bytes.Payload(command, type, body);
                Action act = () => RawFrame.Parse(payload);
                if (CommandTable.Allows(command, type))
                {
                    act.Should().NotThrow($"{command} may carry {type}");
                }
                else
                {
                    act.Should().Throw<ProtocolViolationException>($"{command} may not carry {type}");
                }
            }
        }
    }

    [Test]
    public void Payload_shorter_than_the_8_byte_header_is_a_ProtocolViolation() =>
        ParseCode(new Bytes().I32((int)ChatCommand.Logout).U16(0).ToArray()).Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Target_longer_than_256_bytes_is_a_ProtocolViolation()
    {
        var target = Enumerable.Repeat((byte)'a', RawFrame.MaxTargetBytes + 1).ToArray();

        ParseCode(Bytes.Payload((int)ChatCommand.PrivateMessage, target, (int)PacketType.SendText, new Bytes().U32(1).Str("hi").ToArray()))
            .Should().Be(ErrorCode.ProtocolViolation);
    }

    [Test]
    public void Target_of_exactly_256_bytes_is_accepted()
    {
        var target = Enumerable.Repeat((byte)'a', RawFrame.MaxTargetBytes).ToArray();

        DecodedFrame.From(Bytes.Payload((int)ChatCommand.PrivateMessage, target, (int)PacketType.SendText, new Bytes().U32(1).Str("hi").ToArray()))
            .Target.Should().HaveLength(RawFrame.MaxTargetBytes);
    }

    [Test]
    public void Target_length_running_past_the_end_of_the_frame_is_a_ProtocolViolation() =>
        ParseCode(new Bytes().I32((int)ChatCommand.PrivateMessage).U16(200).Raw("bob"u8).U16((int)PacketType.SendText).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [TestCase(new byte[] { 0xC3, 0x28 }, TestName = "Target with a broken two-byte sequence is a ProtocolViolation")]
    [TestCase(new byte[] { 0xC0, 0xAF }, TestName = "Target with an overlong encoding of '/' is a ProtocolViolation")]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 }, TestName = "Target with an encoded UTF-16 surrogate is a ProtocolViolation")]
    [TestCase(new byte[] { 0x61, 0xFF }, TestName = "Target with a 0xFF byte is a ProtocolViolation")]
    [TestCase(new byte[] { 0xF0, 0x9F, 0x98 }, TestName = "Target with a truncated four-byte sequence is a ProtocolViolation")]
    public void Target_that_is_not_valid_UTF8_is_a_ProtocolViolation(byte[] target) =>
        ParseCode(Bytes.Payload((int)ChatCommand.PrivateMessage, target, (int)PacketType.SendText, new Bytes().U32(1).Str("hi").ToArray()))
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Header_fields_are_exposed_without_decoding_the_body()
    {
        var payload = FrameCodec.Serialize(ChatCommand.PrivateMessage, "Zoë", new SendTextPacket(4, "x"))[4..];

        var frame = RawFrame.Parse(payload);

        frame.Command.Should().Be(ChatCommand.PrivateMessage);
        frame.Type.Should().Be(PacketType.SendText);
        frame.Target.ToArray().Should().Equal("Zoë"u8.ToArray());
        frame.Body.ToArray().Should().Equal(new Bytes().U32(4).Str("x").Raw([0]).ToArray());
    }

    private static ErrorCode ParseCode(byte[] payload)
    {
        Action act = () => RawFrame.Parse(payload);
        return act.Should().Throw<ProtocolViolationException>().Which.Code;
    }
}
