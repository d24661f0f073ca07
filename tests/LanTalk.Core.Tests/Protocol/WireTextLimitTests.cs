using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>
/// A text the server puts into a packet whose reader has a byte limit is cut to fit, at a character boundary, so
/// the receiver never takes it as a protocol violation (an operator's 5,000-character kick reason once was).
/// </summary>
public sealed class WireTextLimitTests
{
    private static readonly string s_long = new('k', 5_000);

    private static IEnumerable<TestCaseData> OverLongTexts()
    {
        yield return Case(ChatCommand.ServerDisconnected, new ErrorPacket(ErrorCode.Kicked, s_long), p => ((ErrorPacket)p).Text);
        yield return Case(ChatCommand.ServerNotice, new NoticePacket(1, s_long), p => ((NoticePacket)p).Text);
        yield return Case(ChatCommand.SetAway, new AwayPacket("bob", s_long, 1), p => ((AwayPacket)p).Text);
        yield return Case(ChatCommand.SetTopic, new TopicPacket(1, s_long, "bob", 1), p => ((TopicPacket)p).Text);
        yield return Case(ChatCommand.LeaveRoom, new RoomLeftPacket(1, RoomLeftReason.Kicked, "bob", s_long), p => ((RoomLeftPacket)p).Text);
        yield return Case(ChatCommand.WhoIs, new UserInfoPacket(1, "bob", s_long, []), p => ((UserInfoPacket)p).Away);
        yield return Case(ChatCommand.WhoIs, new UserInfoPacket(1, "bob", "", [new SessionSummary(1, s_long, 1, 3)]), p => ((UserInfoPacket)p).Sessions[0].Client, WireStrings.MaxClientBytes);
        yield return Case(ChatCommand.JoinRoom, new RoomInfoPacket(1, RoomModes.None, s_long, "bob", 1, 1, []), p => ((RoomInfoPacket)p).Topic);
        yield return Case(ChatCommand.ListRooms, new RoomListPacket([new RoomSummary("dev", RoomModes.None, 1, s_long)]), p => ((RoomListPacket)p).Rooms[0].Topic);
    }

    private static TestCaseData Case(ChatCommand command, IPacket packet, Func<IPacket, string> text, int limit = WireStrings.MaxTextBytes) =>
        new TestCaseData(command, packet, text, limit).SetArgDisplayNames(packet.Type.ToString());

    [TestCaseSource(nameof(OverLongTexts))]
    public void An_over_long_text_is_cut_to_what_the_receiver_reads(ChatCommand command, IPacket packet, Func<IPacket, string> text, int limit)
    {
        var decoded = DecodedFrame.FromWire(FrameCodec.Serialize(command, string.Empty, packet));

        text(decoded.Packet).Should().Be(new string('k', limit), "the receiver reads at most {0} bytes", limit);
    }

    [Test]
    public void A_list_without_a_More_flag_is_cut_to_one_frame_of_65536_bytes_and_still_decodes()
    {
        // Neither list can be split into parts; uncut, each made a frame every client must refuse as FrameTooLarge.
        string room = new('中', 32);
        var owners = Enumerable.Range(0, 600).Select(i => $"{i}{new string('ö', 60)}").ToArray();
        var info = new RoomInfoPacket(1, RoomModes.None, s_long, new string('中', 32), 1, 600, owners).FittedTo(room);
        var sessions = Enumerable.Range(0, 300).Select(i => new SessionSummary((ulong)i, new string('c', 256), 1, 3)).ToArray();
        var whoIs = new UserInfoPacket(2, new string('中', 32), s_long, sessions).FittedTo(string.Empty);

        FrameCodec.Measure(room, info).Should().BeLessThanOrEqualTo(ProtocolLimits.LargestFrame + 4);
        ((RoomInfoPacket)DecodedFrame.FromWire(FrameCodec.Serialize(ChatCommand.JoinRoom, room, info)).Packet).Owners.Should()
            .HaveCountGreaterThan(470).And.Equal(owners.Take(info.Owners.Count), "the first owners are kept, in order");
        FrameCodec.Measure(string.Empty, whoIs).Should().BeLessThanOrEqualTo(ProtocolLimits.LargestFrame + 4);
        ((UserInfoPacket)DecodedFrame.FromWire(FrameCodec.Serialize(ChatCommand.WhoIs, string.Empty, whoIs)).Packet).Sessions.Should()
            .HaveCountGreaterThanOrEqualTo(222).And.Equal(sessions.Take(whoIs.Sessions.Count));
        FrameCodec.Measure(string.Empty, whoIs with { Sessions = sessions.Take(whoIs.Sessions.Count + 1).ToArray() }).Should()
            .BeGreaterThan(ProtocolLimits.LargestFrame + 4, "as many as fit are kept");
        var small = new UserInfoPacket(3, "bob", "", sessions[..2]);
        small.FittedTo(string.Empty).Should().BeSameAs(small);
    }

    [Test]
    public void The_operator_kick_reason_of_5000_characters_reaches_the_client_as_its_first_4096()
    {
        var packet = new ErrorPacket(ErrorCode.Kicked, "bye " + s_long, 3);

        Encoding.UTF8.GetByteCount(packet.Text).Should().Be(4096);
        packet.Text.Should().StartWith("bye kkk");
        (packet with { Text = s_long }).Text.Should().HaveLength(4096, "with cuts too");
        packet.Tag.Should().Be(3);
    }

    [TestCase("é", 2, 2048, TestName = "Fit keeps whole two-byte characters")]
    [TestCase("日", 3, 1365, TestName = "Fit keeps whole three-byte characters")]
    [TestCase("😀", 4, 1024, TestName = "Fit never splits a surrogate pair")]
    public void Fit_cuts_at_a_character_boundary(string character, int bytesEach, int kept)
    {
        string text = string.Concat(Enumerable.Repeat(character, 3000));

        string fitted = WireStrings.Fit(text, 4096);

        fitted.Should().Be(string.Concat(Enumerable.Repeat(character, kept)));
        Encoding.UTF8.GetByteCount(fitted).Should().Be(kept * bytesEach).And.BeLessThanOrEqualTo(4096);
    }

    [Test]
    public void Fit_leaves_a_text_that_fits_alone_even_at_the_exact_limit()
    {
        string exact = new string('a', 4094) + "é";

        WireStrings.Fit(exact, 4096).Should().BeSameAs(exact);
        WireStrings.Fit(exact + "a", 4096).Should().Be(exact);
        WireStrings.Fit("a" + exact, 4096).Should().Be("a" + new string('a', 4094), "é would need a 4,097th byte");
    }
}
