using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Transport;

/// <summary>The write loop: priority frames first, coalesced writes, bounded queues and orderly closes.</summary>
public sealed class ChatConnectionWriteTests
{
    [Test]
    public async Task Pong_queued_after_messages_is_written_before_them()
    {
        await using var test = new ConnectionUnderTest();
        for (uint i = 1; i <= 3; i++)
        {
            test.Connection.Send(ChatCommand.PublicMessage, string.Empty, Message(i));
        }

        test.Connection.SendPriority(ChatCommand.Pong, new PingPacket(99)).Should().BeTrue();
        test.Start();

        (await test.Peer.ExpectFrameAsync()).Should().Be(new DecodedFrame(ChatCommand.Pong, string.Empty, new PingPacket(99)));
        for (uint i = 1; i <= 3; i++)
        {
            (await test.Peer.ExpectFrameAsync()).Packet.Should().Be(Message(i));
        }
    }

    [Test]
    public async Task Queued_frames_are_coalesced_into_few_writes_and_arrive_complete_and_in_order()
    {
        const int count = 2000;
        await using var test = new ConnectionUnderTest(new ChatConnectionOptions { WriteBufferSize = 8192 });
        for (uint i = 1; i <= count; i++)
        {
            // One frame larger than the write buffer goes out on its own, between the coalesced ones.
            var packet = i == count / 2 ? Message(i, new string('L', 20_000)) : Message(i);
            test.Connection.Send(ChatCommand.PublicMessage, string.Empty, packet).Should().BeTrue();
        }

        test.Start();

        for (uint i = 1; i <= count; i++)
        {
            (await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId.Should().Be(i);
        }

        test.Stream.WriteCalls.Should().BeLessThan(count / 10, "a batch goes out in one write per buffer, not one per frame");
    }

    [Test]
    public async Task Frames_sent_while_the_connection_runs_arrive_complete_and_in_order()
    {
        const int count = 5000;
        await using var test = new ConnectionUnderTest();
        test.Start();

        var producer = Task.Run(() =>
        {
            for (uint i = 1; i <= count; i++)
            {
                test.Connection.Enqueue(FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, Message(i)));
            }
        });

        for (uint i = 1; i <= count; i++)
        {
            (await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId.Should().Be(i);
        }

        await producer.WaitAsync(PeerEnd.Timeout);
    }

    [Test]
    public async Task Outbound_queue_overflow_from_a_peer_that_stops_reading_closes_as_SlowConsumer()
    {
        var options = new ChatConnectionOptions { MaxQueuedFrames = 16, CloseLinger = TimeSpan.FromMilliseconds(200) };
        // The peer never reads: after 4 KiB the connection's writes block, as on a full socket buffer.
        await using var test = new ConnectionUnderTest(options, peerReadLimit: 4096);
        test.Start();
        var frame = FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, Message(1));

        int accepted = 0;
        while (accepted < 100_000 && test.Connection.Enqueue(frame))
        {
            accepted++;
        }

        accepted.Should().BeLessThan(100_000, "the queue is bounded");
        var reason = await test.ClosedAsync();
        reason.Kind.Should().Be(DisconnectKind.SlowConsumer);
        reason.Code.Should().Be(ErrorCode.SlowConsumer);
        test.Connection.Enqueue(frame).Should().BeFalse("a closed connection accepts nothing");
    }

    [Test]
    public async Task Byte_limit_of_the_outbound_queue_overflows_before_the_frame_limit()
    {
        var options = new ChatConnectionOptions { MaxQueuedBytes = 10_000 };
        await using var test = new ConnectionUnderTest(options);
        var big = FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, Message(1, new string('b', 4000)));

        // Not started, so nothing drains the queue: the third 4 KB frame passes the 10,000-byte cap.
        test.Connection.Enqueue(big).Should().BeTrue();
        test.Connection.Enqueue(big).Should().BeTrue();
        test.Connection.Enqueue(big).Should().BeFalse();

        test.Connection.Reason!.Kind.Should().Be(DisconnectKind.SlowConsumer);
    }

    [Test]
    public async Task Close_with_ServerDisconnected_sends_that_frame_and_then_ends_the_stream()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        test.Connection.Send(ChatCommand.ServerNotice, string.Empty, new NoticePacket(1, "going down"));
        (await test.Peer.ExpectFrameAsync()).Command.Should().Be(ChatCommand.ServerNotice);

        test.Connection.Close(DisconnectReason.Local("shutdown"), new ErrorPacket(ErrorCode.ShuttingDown, "bye"), ChatCommand.ServerDisconnected);

        (await test.Peer.ExpectFrameAsync()).Should().Be(
            new DecodedFrame(ChatCommand.ServerDisconnected, string.Empty, new ErrorPacket(ErrorCode.ShuttingDown, "bye")));
        await test.Peer.CloseOutputAsync();
        await test.Peer.ExpectEndOfStreamAsync();
        (await test.ClosedAsync()).Kind.Should().Be(DisconnectKind.Local);
        test.Connection.Send(ChatCommand.ServerNotice, string.Empty, new NoticePacket(2, "late")).Should().BeFalse();
    }

    [Test]
    public async Task Final_error_frame_jumps_ahead_of_messages_still_queued_which_follow_it()
    {
        await using var test = new ConnectionUnderTest();
        test.Connection.Send(ChatCommand.PublicMessage, string.Empty, Message(1));

        test.Connection.Close(DisconnectReason.Local("kicked"), new ErrorPacket(ErrorCode.Kicked, "bye"), ChatCommand.ServerDisconnected);
        test.Start();

        // The peer learns why at once; it must ignore what follows a closing frame.
        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.Kicked);
        (await test.Peer.ExpectFrameAsync()).Packet.Should().Be(Message(1));
        await test.Peer.CloseOutputAsync();
        await test.Peer.ExpectEndOfStreamAsync();
    }

    [Test]
    public async Task Final_error_frame_follows_the_frames_queued_when_the_owner_asks_for_it()
    {
        // A session before login: its queue holds the answers to its login, which the final frame must not overtake.
        await using var test = new ConnectionUnderTest();
        test.Connection.FinalFrameAfterQueued = true;
        test.Connection.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.AuthFailed, "wrong user name or password"));

        test.Connection.Close(DisconnectReason.Local("violation"), new ErrorPacket(ErrorCode.NotAuthenticated, "too early"));
        test.Start();

        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.AuthFailed);
        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.NotAuthenticated);
        await test.Peer.CloseOutputAsync();
        await test.Peer.ExpectEndOfStreamAsync();
    }

    [Test]
    public async Task Abort_ends_both_loops_without_waiting_for_the_peer()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();

        test.Connection.Abort(new DisconnectReason(DisconnectKind.Timeout, ErrorCode.IdleTimeout, "silent"));

        var reason = await test.ClosedAsync();
        reason.Kind.Should().Be(DisconnectKind.Timeout);
        await test.Peer.ExpectEndOfStreamAsync();
    }

    private static ChatMessagePacket Message(uint id, string text = "hello, world") => new(id, 1_732_000_000_000, "alice", id, text);
}
