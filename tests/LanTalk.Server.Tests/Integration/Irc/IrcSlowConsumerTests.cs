using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LanTalk.Server.Irc;
using LanTalk.Server.Net;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// An IRC client that never reads costs only itself, as a ChatSocket one does (docs/PROTOCOL.md, IRC gateway): it is
/// cut off once its socket has taken no bytes for the send-stall limit, even while it sends a PING now and then, and
/// the other clients, ChatSocket and IRC, get every message. What a session holds back during a replay is bounded
/// like its queue.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcSlowConsumerTests
{
    // Two 4 KB messages every 50 ms: the kernel buffers fill within a second, while in the whole deadline the queue
    // gets well under its default bounds (65,536 lines, 8 MiB), so only the stall rule can cut the client off in time.
    private static readonly TimeSpan s_pace = TimeSpan.FromMilliseconds(50);

    // Buffers filling, the stall limit, one sweep period, and slack for a loaded machine.
    private static readonly TimeSpan s_deadline = TimeSpan.FromMilliseconds(ChatServer.SendStallLimitMs) + TimeSpan.FromSeconds(7);

    [Test]
    public async Task Irc_client_that_pings_but_never_reads_is_cut_off_for_the_send_stall_while_the_others_get_everything()
    {
        await using var server = await TestServer.StartIrcAsync(
            s => s with { MessageRatePerSecond = 1_000_000, MessageBurst = 1_000_000 },
            "chat", "watcher", "reader", "stalled");
        var stalledEnded = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.IrcSessionEnded += session =>
        {
            if (session.Nick == "stalled")
            {
                stalledEnded.TrySetResult(session.Connection.CloseReason);
            }
        };

        var chat = await server.LoginProbeAsync("chat");
        var watcher = await server.LoginProbeAsync("watcher");
        await using var reader = await IrcTestClient.RegisterAsync(server.IrcPort, "reader");
        await reader.ExpectCommandAsync("366");

        // A small receive window, so the kernel buffers little; it registers and then never reads a byte.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(IPAddress.Loopback, server.IrcPort);
        await stalled.SendAsync("PASS :correct horse\r\nNICK stalled\r\nUSER stalled 0 * :stalled\r\n"u8.ToArray());
        await watcher.Joined.WaitForAsync(n => n == "stalled", "the stalled IRC client is online");
        // Its PINGs must not hold the server up if it stops reading them too; a refused PING is as good as a sent one here.
        stalled.Blocking = false;

        var texts = new List<string>();
        try
        {
            using var pace = new PeriodicTimer(s_pace);
            var watch = Stopwatch.StartNew();
            while (!stalledEnded.Task.IsCompleted && watch.Elapsed < s_deadline)
            {
                for (int i = 0; i < 2; i++)
                {
                    string text = $"m{texts.Count + 1} " + new string('x', 4000);
                    texts.Add(text);
                    chat.Client.PostMessage(null, text, (uint)texts.Count);
                }

                if (texts.Count % 40 == 0)
                {
                    // A PING a second: inbound traffic says nothing about whether the client reads.
                    TrySend(stalled, "PING :still here\r\n"u8);
                }

                await pace.WaitForNextTickAsync();
            }

            stalledEnded.Task.IsCompleted.Should().BeTrue(
                $"a client whose socket takes no bytes is cut off within {s_deadline.TotalSeconds} s (stall limit {ChatServer.SendStallLimitMs} ms); {watch.Elapsed.TotalSeconds:0.0} s passed");
            (await stalledEnded.Task).Should().Be("slow consumer: " + ChatServer.SendStallText);

            // Everyone else got every message, in order.
            var inbox = await watcher.Messages.WaitForCountAsync(texts.Count, $"the ChatSocket watcher gets all {texts.Count} messages");
            inbox.Where(m => m.From == "chat").Select(m => m.Text).Should().Equal(texts);
            string all = string.Concat(texts);
            var pieces = new System.Text.StringBuilder();
            while (pieces.Length < all.Length)
            {
                string line = await reader.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":chat!chat@lantalk PRIVMSG #lobby :", StringComparison.Ordinal), "the IRC reader's next message line");
                pieces.Append(line[":chat!chat@lantalk PRIVMSG #lobby :".Length..]);
            }

            pieces.ToString().Should().Be(all, "the IRC reader gets every message, split into lines, in order");
            await reader.SendAsync("PING :alive");
            await reader.ExpectCommandAsync("PONG");
        }
        finally
        {
            await chat.Client.DisposeAsync();
            await watcher.Client.DisposeAsync();
        }
    }

    [Test]
    public async Task Live_frames_held_while_a_replay_is_queued_are_bounded_like_the_queue()
    {
        await using var server = await TestServer.StartIrcAsync();
        var connection = new IrcConnection(Stream.Null, maxLines: 16, maxBytes: 1 << 20, coalescer: null);
        try
        {
            var session = new IrcSession(server.Server, connection, new IPEndPoint(IPAddress.Loopback, 1));
            var room = new Room("dev", isDefault: false);
            var frame = new byte[100];

            // Held and then dropped with the membership (a PART during the replay): they no longer count.
            session.HoldRoom(room, joinMark: 0);
            for (ulong id = 1; id <= 16; id++)
            {
                session.DeliverRoomFrame(room, id, frame);
            }

            session.ExitRoom(room);
            session.ReleaseRoom(room);
            connection.IsClosing.Should().BeFalse("16 frames are within the bound of 16");

            // A replay that does not end (a stalled history store) while live messages keep coming.
            session.HoldRoom(room, joinMark: 16);
            for (ulong id = 17; id <= 32; id++)
            {
                session.DeliverRoomFrame(room, id, frame);
            }

            connection.IsClosing.Should().BeFalse("the frames dropped with the last membership gave their room back");
            session.DeliverRoomFrame(room, 33, frame);
            connection.CloseReason.Should().Be("slow consumer: more than 16 frames or 1048576 bytes held while history was being queued");
        }
        finally
        {
            connection.Dispose();
        }
    }

    private static void TrySend(Socket socket, ReadOnlySpan<byte> bytes)
    {
        try
        {
            socket.Send(bytes);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionReset or SocketError.Shutdown)
        {
        }
    }
}
