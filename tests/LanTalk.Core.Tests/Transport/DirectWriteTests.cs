using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Transport;

/// <summary>
/// The write token (issue 12): an idle connection is written by the thread that enqueues, with no hand-off to the
/// writer loop; a write the stream does not finish at once is taken over by the writer; there is never more than
/// one write at a time, and order holds.
/// </summary>
public sealed class DirectWriteTests
{
    [Test]
    public async Task A_frame_for_an_idle_connection_is_written_by_the_enqueuing_thread()
    {
        const int count = 50;
        await using var test = new ConnectionUnderTest();
        test.Start();

        for (uint i = 1; i <= count; i++)
        {
            var frame = Frame(i);
            DuplexPipeStream.RunAsCaller(() => test.Connection.Enqueue(frame).Should().BeTrue());
            // Received before the next one: the queue is empty again and the writer idle.
            (await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId.Should().Be(i);
        }

        // The first frame may reach the writer before it parks; after that every one is written inline.
        test.Stream.WritesOnCallerThread.Should().BeGreaterThanOrEqualTo(count - 1);
    }

    [Test]
    public async Task With_direct_writes_off_every_frame_goes_through_the_writer_loop()
    {
        await using var test = new ConnectionUnderTest(new ChatConnectionOptions { DirectWrites = false });
        test.Start();

        for (uint i = 1; i <= 10; i++)
        {
            var frame = Frame(i);
            DuplexPipeStream.RunAsCaller(() => test.Connection.Enqueue(frame).Should().BeTrue());
            (await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId.Should().Be(i);
        }

        test.Stream.WritesOnCallerThread.Should().Be(0);
    }

    [Test]
    public async Task A_direct_write_that_blocks_is_reported_as_a_blocked_write_and_finished_by_the_writer()
    {
        // The peer reads nothing yet and the stream holds 1 KiB: a 4 KiB frame cannot be written at once.
        await using var test = new ConnectionUnderTest(peerReadLimit: 1024);
        test.Start();
        await WaitUntilDirectAsync(test);
        var big = FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, Message(2, new string('x', 4096)));

        test.Connection.Enqueue(big).Should().BeTrue();
        test.Connection.Enqueue(Frame(3)).Should().BeTrue();

        // The server's send-stall check reads this; a write left pending by a producer must count.
        test.Connection.WriteBlockedMs(Environment.TickCount64 + 1000).Should().BeGreaterThan(0);
        (await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId.Should().Be(2);
        (await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId.Should().Be(3);
        test.Stream.OverlappingWrites.Should().Be(0);
    }

    [Test]
    public async Task Many_producers_and_a_slow_reader_never_overlap_writes_and_keep_each_producers_order()
    {
        const int producers = 4;
        const int perProducer = 3000;
        // A small stream buffer, so direct writes often stay pending and the writer takes over mid-stream.
        await using var test = new ConnectionUnderTest(peerReadLimit: 8192);
        test.Start();

        var sending = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (uint i = 1; i <= perProducer; i++)
            {
                test.Connection.Enqueue(Frame(((uint)p << 24) | i)).Should().BeTrue();
            }
        })).ToArray();

        var next = new uint[producers];
        for (int n = 0; n < producers * perProducer; n++)
        {
            uint id = (uint)(await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId;
            int p = (int)(id >> 24);
            (id & 0xFFFFFF).Should().Be(next[p] + 1, $"producer {p}'s frames arrive in order");
            next[p]++;
        }

        await Task.WhenAll(sending).WaitAsync(PeerEnd.Timeout);
        test.Stream.OverlappingWrites.Should().Be(0, "the stream has one writer at a time (an SslStream requires it)");
    }

    [Test]
    public async Task Close_while_idle_after_direct_writes_still_sends_the_final_frame_and_ends_the_stream()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        await WaitUntilDirectAsync(test);

        test.Connection.Close(DisconnectReason.Local("kicked"), new ErrorPacket(ErrorCode.Kicked, "bye"), ChatCommand.ServerDisconnected);

        (await test.Peer.ExpectFrameAsync()).ExpectError().Code.Should().Be(ErrorCode.Kicked);
        await test.Peer.CloseOutputAsync();
        await test.Peer.ExpectEndOfStreamAsync();
    }

    [Test]
    public async Task While_the_process_is_busy_an_idle_connection_is_written_by_the_coalescer_tick_not_inline()
    {
        // Busy from the first measurement on; a short tick keeps the test quick.
        var coalescer = new WriteCoalescer(busyFramesPerSecond: -1, tickMs: 20);
        SpinWait.SpinUntil(() => coalescer.IsBusy, PeerEnd.Timeout).Should().BeTrue("the coalescer measures its first window");
        await using var test = new ConnectionUnderTest(new ChatConnectionOptions { Coalescer = coalescer });
        test.Start();

        const int rounds = 10;
        for (uint i = 1; i <= rounds; i++)
        {
            var frame = Frame(i);
            DuplexPipeStream.RunAsCaller(() => test.Connection.Enqueue(frame).Should().BeTrue());
            (await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId.Should().Be(i);
        }

        test.Stream.WritesOnCallerThread.Should().Be(0, "a busy process coalesces; nothing is written inline");
        // The first frame may find the writer not yet parked and go the writer's way; the rest are the tick's.
        test.Stream.WritesOnCoalescerThread.Should().BeGreaterThanOrEqualTo(rounds - 1);
    }

    /// <summary>Sends frames until one is written inline: from then on the writer is parked and the token free.</summary>
    private static async Task WaitUntilDirectAsync(ConnectionUnderTest test)
    {
        for (uint i = 1; i <= 100 && test.Stream.WritesOnCallerThread == 0; i++)
        {
            var frame = Frame(1000 + i);
            DuplexPipeStream.RunAsCaller(() => test.Connection.Enqueue(frame));
            await test.Peer.ExpectFrameAsync();
        }

        test.Stream.WritesOnCallerThread.Should().BeGreaterThan(0, "an idle connection is written inline");
    }

    private static byte[] Frame(uint id) => FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, Message(id));

    private static ChatMessagePacket Message(uint id, string text = "hello, world") => new(id, 1_732_000_000_000, "alice", id, text);
}
