using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>Body decoding: truncation, bad UTF-8 and over-long strings are ProtocolViolation; extra bytes are not.</summary>
public sealed class PacketBodyTests
{
    private static readonly ProtocolLimits Limits = ProtocolLimits.Default;

    private static IEnumerable<TestCaseData> TruncatedBodies()
    {
        // Optional trailing fields, in bytes: a body cut there is still complete (the UserList flags byte, and the
        // v3 fields of Welcome, SendText and ChatMessage).
        var cases = new (ChatCommand Command, IPacket Packet, int OptionalTail)[]
        {
            (ChatCommand.Hello, new ServerHelloPacket(2, 2, "srv", 65536, 32, 4096, 30, 45, 1, ServerFeatures.None, 20_000, 60), 8),
            (ChatCommand.Hello, new ClientHelloPacket(2, "cli"), 0),
            (ChatCommand.RequestLogin, new LoginPacket("alice", "secret"), 0),
            (ChatCommand.UserAuthenticated, new WelcomePacket("alice", 1, 2), 2),
            (ChatCommand.RequestUsers, new UserListPacket([new OnlineUser("alice", 1)]), 1),
            (ChatCommand.UserDisconnected, new PresencePacket("alice", 1), 0),
            (ChatCommand.PublicMessage, new SendTextPacket(1, "hello"), 1),
            (ChatCommand.PublicMessage, new ChatMessagePacket(1, 2, "alice", 3, "hello"), ChatMessageFrame.TrailerSize),
            (ChatCommand.Error, new ErrorPacket(ErrorCode.Kicked, "bye", 0), 0),
            (ChatCommand.Pong, new PingPacket(1), 0),
            (ChatCommand.ServerNotice, new NoticePacket(1, "notice"), 0),
        };
        foreach (var (command, packet, optionalTail) in cases)
        {
            yield return new TestCaseData(command, packet, optionalTail).SetArgDisplayNames(packet.Type.ToString());
        }
    }

    [TestCaseSource(nameof(TruncatedBodies))]
    public void Body_cut_short_of_its_required_fields_is_a_ProtocolViolation(ChatCommand command, IPacket packet, int optionalTail)
    {
        var payload = FrameCodec.Serialize(command, string.Empty, packet)[4..];
        for (int cut = optionalTail + 1; cut <= packet.MeasureBody(); cut++)
        {
            var truncated = payload[..^cut];
            var act = () => RawFrame.Parse(truncated).ReadPacket(Limits);
            act.Should().Throw<ProtocolViolationException>($"{cut} bytes missing").Which.Code.Should().Be(ErrorCode.ProtocolViolation);
        }
    }

    [Test]
    public void String_length_prefix_past_the_end_of_the_body_is_a_ProtocolViolation() =>
        DecodeCode(ChatCommand.PublicMessage, PacketType.SendText, new Bytes().U32(1).U16(1000).Raw("short"u8).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Invalid_UTF8_in_a_login_user_name_is_a_ProtocolViolation() =>
        DecodeCode(ChatCommand.RequestLogin, PacketType.Login, new Bytes().Utf8([0x61, 0xC3, 0x28]).Str("pw").ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Invalid_UTF8_in_message_text_is_a_ProtocolViolation() =>
        DecodeCode(ChatCommand.PublicMessage, PacketType.SendText, new Bytes().U32(1).Utf8([0x68, 0x69, 0xED, 0xA0, 0x80]).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Invalid_UTF8_in_a_relayed_sender_name_is_a_ProtocolViolation() =>
        DecodeCode(ChatCommand.PublicMessage, PacketType.ChatMessage,
            new Bytes().I64(1).I64(2).Utf8([0xFF]).U32(0).Str("hi").ToArray()).Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Invalid_UTF8_in_error_text_is_a_ProtocolViolation() =>
        DecodeCode(ChatCommand.Error, PacketType.Error, new Bytes().U16((int)ErrorCode.Kicked).Utf8([0xC0, 0xAF]).U32(0).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void User_name_longer_than_4_bytes_per_allowed_character_is_a_ProtocolViolation()
    {
        // 32 characters of at most 4 UTF-8 bytes each: 128 bytes is the most a valid name can need.
        string name = new('a', Limits.MaxUserNameLength * 4 + 1);

        DecodeCode(ChatCommand.RequestLogin, PacketType.Login, new Bytes().Str(name).Str("pw").ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);
        DecodeCode(ChatCommand.UserConnected, PacketType.Presence, new Bytes().Str(name).I64(0).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);
        DecodeCode(ChatCommand.UserAuthenticated, PacketType.Welcome, new Bytes().Str(name).I64(1).I64(2).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);
    }

    [Test]
    public void User_name_of_32_four_byte_characters_decodes()
    {
        string name = string.Concat(Enumerable.Repeat("😀", Limits.MaxUserNameLength));

        Decode(ChatCommand.RequestLogin, PacketType.Login, new Bytes().Str(name).Str("pw").ToArray())
            .Should().Be(new LoginPacket(name, "pw"));
    }

    [Test]
    public void Password_longer_than_MaxPasswordBytes_is_a_ProtocolViolation() =>
        DecodeCode(ChatCommand.Register, PacketType.Login, new Bytes().Str("alice").Str(new string('p', Limits.MaxPasswordBytes + 1)).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Message_text_longer_than_the_callers_limit_is_a_ProtocolViolation_on_the_zero_copy_path()
    {
        var body = new Bytes().U32(9).Str(new string('x', Limits.MaxMessageBytes + 1)).ToArray();

        var act = () => ChatMessageFrame.ReadSendText(body, Limits.MaxMessageBytes, out _);

        act.Should().Throw<ProtocolViolationException>().Which.Code.Should().Be(ErrorCode.ProtocolViolation);
    }

    [Test]
    public void Error_text_longer_than_4096_bytes_is_a_ProtocolViolation() =>
        DecodeCode(ChatCommand.Error, PacketType.Error, new Bytes().U16(1).Str(new string('e', 4097)).U32(0).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Client_name_longer_than_256_bytes_is_a_ProtocolViolation() =>
        DecodeCode(ChatCommand.Hello, PacketType.ClientHello, new Bytes().U16(2).Str(new string('c', 257)).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void User_list_declaring_int_max_entries_is_rejected_before_the_list_is_allocated()
    {
        var payload = Bytes.Payload(ChatCommand.RequestUsers, PacketType.UserList, new Bytes().I32(int.MaxValue).Str("a").I64(0).ToArray());
        ProtocolViolationException? thrown = null;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            RawFrame.Parse(payload).ReadPacket(Limits);
        }
        catch (ProtocolViolationException ex)
        {
            thrown = ex;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        thrown.Should().NotBeNull();
        thrown!.Code.Should().Be(ErrorCode.ProtocolViolation);
        // An array for the declared count would be 32 GiB; the exception alone is a few hundred bytes.
        allocated.Should().BeLessThan(64 * 1024);
    }

    [TestCase(-1)]
    [TestCase(int.MinValue)]
    [TestCase(2, TestName = "User list declaring 2 entries but holding 1 is a ProtocolViolation")]
    public void User_list_whose_count_does_not_match_its_bytes_is_a_ProtocolViolation(int count) =>
        DecodeCode(ChatCommand.RequestUsers, PacketType.UserList, new Bytes().I32(count).Str("a").I64(0).ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void User_list_without_the_flags_byte_decodes_as_a_complete_list()
    {
        // Bodies written before the More flag existed end after the last entry.
        var body = new Bytes().I32(1).Str("alice").I64(5).ToArray();

        Decode(ChatCommand.RequestUsers, PacketType.UserList, body).Should().BeEquivalentTo(new UserListPacket([new OnlineUser("alice", 5)], More: false));
    }

    [Test]
    public void A_user_list_with_departures_after_its_flags_byte_gives_one_per_entry_and_one_without_gives_none()
    {
        var body = new Bytes().I32(1).Str("bob").I64(5).Raw([0]).I32(1).Raw([1]).Str("alice").Str("spam").ToArray();

        var list = Decode(ChatCommand.MemberLeft, PacketType.UserList, body).Should().BeOfType<UserListPacket>().Subject;
        list.Departures.Should().Equal(new MemberDeparture(RoomLeftReason.Kicked, "alice", "spam"));
        Decode(ChatCommand.MemberLeft, PacketType.UserList, new Bytes().I32(1).Str("bob").I64(5).Raw([0]).ToArray())
            .Should().BeOfType<UserListPacket>().Which.Departures.Should().BeNull("a server that predates departures sends none");
    }

    [Test]
    public void The_departure_example_of_PROTOCOL_md_decodes_as_it_says()
    {
        // The bytes as the spec prints them (UserList, "Example"), groups joined.
        byte[] body = Convert.FromHexString(string.Concat("01000000", "0300626F62", "003C74BA93010000", "00", "01000000", "01", "0500616C696365", "04007370616D"));

        var list = Decode(ChatCommand.MemberLeft, PacketType.UserList, body).Should().BeOfType<UserListPacket>().Subject;
        list.Users.Should().Equal(new OnlineUser("bob", 1_734_000_000_000));
        list.Departures.Should().Equal(new MemberDeparture(RoomLeftReason.Kicked, "alice", "spam"));
    }

    [TestCase(2, TestName = "Departures counting more entries than the list has are a ProtocolViolation")]
    [TestCase(0, TestName = "Departures counting fewer entries than the list has are a ProtocolViolation")]
    [TestCase(int.MaxValue, TestName = "A departure count too large for the body is a ProtocolViolation before anything is allocated")]
    public void Departures_must_be_one_per_entry(int count) =>
        DecodeCode(ChatCommand.MemberLeft, PacketType.UserList, new Bytes().I32(1).Str("bob").I64(5).Raw([0]).I32(count).Raw([0]).Str("").Str("").ToArray())
            .Should().Be(ErrorCode.ProtocolViolation);

    [TestCase(1, true)]
    [TestCase(0, false)]
    [TestCase(0xFE, false, TestName = "User list flags other than bit 0 are ignored")]
    public void User_list_flags_byte_bit_0_means_more_parts_follow(int flags, bool more)
    {
        var body = new Bytes().I32(1).Str("alice").I64(5).Raw([(byte)flags]).ToArray();

        Decode(ChatCommand.RequestUsers, PacketType.UserList, body).Should().BeOfType<UserListPacket>().Which.More.Should().Be(more);
    }

    [Test]
    public void Trailing_bytes_after_the_known_fields_are_ignored_for_forward_compatibility()
    {
        byte[] extra = [1, 2, 3, 4, 5];

        Decode(ChatCommand.Ping, PacketType.Ping, new Bytes().I64(42).Raw(extra).ToArray()).Should().Be(new PingPacket(42));
        Decode(ChatCommand.Logout, PacketType.Empty, extra).Should().BeSameAs(EmptyPacket.Instance);
        Decode(ChatCommand.PublicMessage, PacketType.SendText, new Bytes().U32(7).Str("hi").Raw([0]).Raw(extra).ToArray())
            .Should().Be(new SendTextPacket(7, "hi"));
        Decode(ChatCommand.Error, PacketType.Error, new Bytes().U16(5).Str("who?").U32(9).Raw(extra).ToArray())
            .Should().Be(new ErrorPacket(ErrorCode.UnknownUser, "who?", 9));
    }

    [Test]
    public void Unknown_error_codes_and_feature_bits_decode_unchanged()
    {
        Decode(ChatCommand.Error, PacketType.Error, new Bytes().U16(999).Str("future").U32(0).ToArray())
            .Should().BeOfType<ErrorPacket>().Which.Code.Should().Be((ErrorCode)999);
        var hello = new ServerHelloPacket(2, 3, "s", 65536, 32, 4096, 30, 45, 0, (ServerFeatures)0x8000_0001);
        DecodedFrame.FromWire(FrameCodec.Serialize(ChatCommand.Hello, string.Empty, hello)).Packet.Should().Be(hello);
    }

    [Test]
    public void ServerHello_without_the_appended_rate_fields_reads_as_not_announced()
    {
        var hello = new ServerHelloPacket(2, 2, "s", 65536, 32, 4096, 30, 45, 0, ServerFeatures.None, 20_000, 60);
        var payload = FrameCodec.Serialize(ChatCommand.Hello, string.Empty, hello)[4..];
        var old = (ServerHelloPacket)RawFrame.Parse(payload.AsSpan(0, payload.Length - 8)).ReadPacket(Limits);
        old.MessageRatePerSecond.Should().BeNull();
        old.MessageBurst.Should().Be(0);
        var current = (ServerHelloPacket)RawFrame.Parse(payload).ReadPacket(Limits);
        current.MessageRatePerSecond.Should().Be(20);
        current.MessageBurst.Should().Be(60);
    }

    private static IPacket Decode(ChatCommand command, PacketType type, byte[] body) =>
        RawFrame.Parse(Bytes.Payload(command, type, body)).ReadPacket(Limits);

    private static ErrorCode DecodeCode(ChatCommand command, PacketType type, byte[] body)
    {
        var act = () => Decode(command, type, body);
        return act.Should().Throw<ProtocolViolationException>().Which.Code;
    }
}
