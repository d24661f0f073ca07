using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Transport;

/// <summary>The read loop: frames reach the handler intact however the bytes arrive, and end of stream closes.</summary>
public sealed class ChatConnectionReadTests
{
    [Test]
    public async Task Frames_from_the_peer_are_delivered_to_the_handler_in_order()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();

        await test.Peer.SendAsync(FrameCodec.Serialize(ChatCommand.Hello, string.Empty, new ClientHelloPacket(2, "test")));
        await test.Peer.SendAsync(FrameCodec.Serialize(ChatCommand.PrivateMessage, "Zoë", new SendTextPacket(5, "שלום 👋🏽")));

        (await test.NextFrameAsync()).Should().Be(new DecodedFrame(ChatCommand.Hello, string.Empty, new ClientHelloPacket(2, "test")));
        (await test.NextFrameAsync()).Should().Be(new DecodedFrame(ChatCommand.PrivateMessage, "Zoë", new SendTextPacket(5, "שלום 👋🏽")));
    }

    [Test]
    public async Task Frames_written_one_byte_at_a_time_are_delivered_intact()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        var frames = Enumerable.Range(1, 3)
            .Select(i => FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket((uint)i, $"message {i} ✓")))
            .ToArray();

        foreach (byte b in frames.SelectMany(f => f))
        {
            await test.Peer.SendAsync(new[] { b });
        }

        for (int i = 1; i <= 3; i++)
        {
            (await test.NextFrameAsync()).Packet.Should().Be(new SendTextPacket((uint)i, $"message {i} ✓"));
        }
    }

    [Test]
    public async Task Frame_larger_than_the_read_buffer_is_delivered_intact()
    {
        // The reader's buffers are 4 KiB, so a 40 KB frame spans several segments and takes the copying path.
        string text = string.Concat(Enumerable.Repeat("0123456789 שלום 👋 ", 2000))[..20_000];
        var packet = new ChatMessagePacket(1, 2, "alice", 3, text);
        await using var test = new ConnectionUnderTest();
        test.Start();

        await test.Peer.SendAsync(FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, packet));

        (await test.NextFrameAsync()).Packet.Should().Be(packet);
    }

    [Test]
    public async Task End_of_stream_from_the_peer_closes_the_connection_as_RemoteClosed()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();

        await test.Peer.CloseOutputAsync();

        var reason = await test.ClosedAsync();
        reason.Kind.Should().Be(DisconnectKind.RemoteClosed);
        reason.Code.Should().Be(ErrorCode.None);
        await test.Peer.ExpectEndOfStreamAsync();
    }

    [Test]
    public async Task Frames_queued_when_the_peer_closes_are_still_flushed_before_the_connection_closes()
    {
        await using var test = new ConnectionUnderTest();
        for (uint i = 1; i <= 3; i++)
        {
            test.Connection.Send(ChatCommand.PublicMessage, string.Empty, new ChatMessagePacket(i, 0, "server", i, "bye"));
        }

        await test.Peer.CloseOutputAsync();
        test.Start();

        for (uint i = 1; i <= 3; i++)
        {
            (await test.Peer.ExpectFrameAsync()).Packet.Should().BeOfType<ChatMessagePacket>().Which.MessageId.Should().Be(i);
        }

        await test.Peer.ExpectEndOfStreamAsync();
        (await test.ClosedAsync()).Kind.Should().Be(DisconnectKind.RemoteClosed);
    }

    [Test]
    public async Task Frames_already_received_are_delivered_before_end_of_stream_closes_the_connection()
    {
        await using var test = new ConnectionUnderTest();
        await test.Peer.SendAsync(FrameCodec.Serialize(ChatCommand.Logout, string.Empty, EmptyPacket.Instance));
        await test.Peer.CloseOutputAsync();

        test.Start();

        (await test.NextFrameAsync()).Command.Should().Be(ChatCommand.Logout);
        (await test.ClosedAsync()).Kind.Should().Be(DisconnectKind.RemoteClosed);
    }

    [Test]
    public async Task A_complete_frame_whose_handler_runs_long_is_not_timed_as_a_frame_still_arriving()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        long sinceDuringHandler = -1;
        ChatConnection? connection = null;
        await using var test = new ConnectionUnderTest
        {
            OnFrame = _ =>
            {
                // A search reading history for seconds: the server's time, not the peer's.
                sinceDuringHandler = connection!.PartialFrameSinceTicks;
                entered.Set();
                release.Wait(PeerEnd.Timeout);
            },
        };
        connection = test.Connection;
        test.Start();
        byte[] frame = FrameCodec.Serialize(ChatCommand.Search, string.Empty, new HistoryRequestPacket(1, HistoryScope.Everything, Text: "a long query"));

        await test.Peer.SendAsync(frame.AsMemory(0, 10));
        SpinWait.SpinUntil(() => test.Connection.PartialFrameSinceTicks > 0, PeerEnd.Timeout).Should().BeTrue("the first 10 bytes start a frame");
        await test.Peer.SendAsync(frame.AsMemory(10));
        entered.Wait(PeerEnd.Timeout).Should().BeTrue();
        long sinceWhileBusy = test.Connection.PartialFrameSinceTicks;
        release.Set();

        sinceDuringHandler.Should().Be(0, "the frame is complete before its handler runs");
        sinceWhileBusy.Should().Be(0, "a server sweep meanwhile must not find a frame still arriving");
        (await test.NextFrameAsync()).Command.Should().Be(ChatCommand.Search);
    }
}
