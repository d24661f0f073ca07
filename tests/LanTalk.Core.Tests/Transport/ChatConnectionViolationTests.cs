using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Transport;

/// <summary>A peer that breaks the protocol gets one Error frame with the matching code, then the connection closes.</summary>
public sealed class ChatConnectionViolationTests
{
    private static IEnumerable<TestCaseData> HostileInputs()
    {
        yield return new TestCaseData(new Bytes().I32(int.MaxValue).ToArray(), ErrorCode.FrameTooLarge)
            .SetArgDisplayNames("length prefix int.MaxValue, no body");
        yield return new TestCaseData(new Bytes().I32(-1).ToArray(), ErrorCode.FrameTooLarge)
            .SetArgDisplayNames("negative length prefix");
        yield return new TestCaseData(new Bytes().I32(0).ToArray(), ErrorCode.ProtocolViolation)
            .SetArgDisplayNames("zero length prefix");
        yield return new TestCaseData(Bytes.Frame(Bytes.Payload(99, [], (int)PacketType.Empty, [])), ErrorCode.ProtocolViolation)
            .SetArgDisplayNames("unknown command");
        yield return new TestCaseData(Bytes.Frame(Bytes.Payload((int)ChatCommand.Logout, [], 500, [])), ErrorCode.ProtocolViolation)
            .SetArgDisplayNames("unknown packet type");
        yield return new TestCaseData(Bytes.Frame(Bytes.Payload(ChatCommand.Logout, PacketType.Login, new Bytes().Str("a").Str("b").ToArray())), ErrorCode.ProtocolViolation)
            .SetArgDisplayNames("command and packet mismatch");
        yield return new TestCaseData(Bytes.Frame(Bytes.Payload(ChatCommand.Ping, PacketType.Ping, [1, 2, 3])), ErrorCode.ProtocolViolation)
            .SetArgDisplayNames("truncated body");
    }

    [TestCaseSource(nameof(HostileInputs))]
    public async Task Hostile_input_is_answered_with_an_Error_frame_and_closes_as_ProtocolViolation(byte[] input, ErrorCode expected)
    {
        await using var test = new ConnectionUnderTest();
        test.Start();

        await test.Peer.SendAsync(input);

        var answer = await test.Peer.ExpectFrameAsync();
        answer.Command.Should().Be(ChatCommand.Error);
        answer.ExpectError().Code.Should().Be(expected);
        answer.ExpectError().ClosesConnection.Should().BeTrue();
        await test.Peer.CloseOutputAsync();
        var reason = await test.ClosedAsync();
        reason.Kind.Should().Be(DisconnectKind.ProtocolViolation);
        reason.Code.Should().Be(expected);
        test.PendingFrames.Should().Be(0, "the handler never sees a frame that failed validation");
    }

    [Test]
    public async Task Frames_before_a_violation_are_delivered_and_nothing_after_it_is()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        var good = FrameCodec.Serialize(ChatCommand.Ping, string.Empty, new PingPacket(1));
        var bad = Bytes.Frame(Bytes.Payload(77, [], 0, []));

        await test.Peer.SendAsync(good.Concat(bad).Concat(good).ToArray());

        (await test.NextFrameAsync()).Packet.Should().Be(new PingPacket(1));
        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.ProtocolViolation);
        await test.Peer.CloseOutputAsync();
        (await test.ClosedAsync()).Kind.Should().Be(DisconnectKind.ProtocolViolation);
        test.PendingFrames.Should().Be(0);
    }

    [Test]
    public async Task Peer_closing_in_the_middle_of_a_frame_is_a_ProtocolViolation()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        var frame = FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(1, "cut off"));

        await test.Peer.SendAsync(frame.AsMemory(0, frame.Length - 3));
        await test.Peer.CloseOutputAsync();

        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.ProtocolViolation);
        (await test.ClosedAsync()).Kind.Should().Be(DisconnectKind.ProtocolViolation);
    }

    [Test]
    public async Task Violation_thrown_by_the_handler_ends_the_session_with_its_code()
    {
        await using var test = new ConnectionUnderTest
        {
            OnFrame = frame => throw new ProtocolViolationException(ErrorCode.NotAuthenticated, $"{frame.Command} before login"),
        };
        test.Start();

        await test.Peer.SendAsync(FrameCodec.Serialize(ChatCommand.RequestUsers, string.Empty, EmptyPacket.Instance));

        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.NotAuthenticated);
        await test.Peer.CloseOutputAsync();
        var reason = await test.ClosedAsync();
        reason.Kind.Should().Be(DisconnectKind.ProtocolViolation);
        reason.Code.Should().Be(ErrorCode.NotAuthenticated);
    }

    [Test]
    public async Task Handler_bug_ends_only_that_session_with_InternalError()
    {
        await using var test = new ConnectionUnderTest { OnFrame = _ => throw new InvalidOperationException("bug") };
        test.Start();

        await test.Peer.SendAsync(FrameCodec.Serialize(ChatCommand.Logout, string.Empty, EmptyPacket.Instance));

        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.InternalError);
        await test.Peer.CloseOutputAsync();
        var reason = await test.ClosedAsync();
        reason.Kind.Should().Be(DisconnectKind.InternalError);
        reason.Message.Should().Contain("bug");
    }

    [Test]
    public async Task Input_after_the_final_Error_frame_is_drained_and_ignored()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();

        await test.Peer.SendAsync(new Bytes().I32(3).ToArray());
        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.ProtocolViolation);
        // The peer had more in flight; reading it avoids a TCP reset that could destroy the Error frame.
        await test.Peer.SendAsync(FrameCodec.Serialize(ChatCommand.Ping, string.Empty, new PingPacket(2)));
        await test.Peer.SendAsync(new byte[10_000]);
        await test.Peer.CloseOutputAsync();

        (await test.ClosedAsync()).Kind.Should().Be(DisconnectKind.ProtocolViolation);
        test.PendingFrames.Should().Be(0);
        await test.Peer.ExpectEndOfStreamAsync();
    }
}
