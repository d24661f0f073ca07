using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// A fan-out's direct writes gathered by <see cref="SendBatch"/> (issue 12): over real loopback sockets they go to the
/// kernel together at the scope's end, arrive whole and in order, what a full socket does not take is finished by the
/// connection's writer, and a socket closed before the flush fails only its own connection.
/// </summary>
public sealed class SendBatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_fan_out_in_a_scope_goes_out_at_its_end_in_one_submission_whole_and_in_order()
    {
        if (OperatingSystem.IsLinux())
        {
            Uring.Available.Should().BeTrue("this machine's kernel has io_uring; without it the gathered path is not what is tested here");
        }

        const int recipients = 16;
        await using var pairs = await Pairs.OpenAsync(recipients);
        var expected = new List<byte>[recipients];
        for (int i = 0; i < recipients; i++)
        {
            expected[i] = [];
        }

        bool wholeRound = false;
        for (int round = 0; round < 100 && !wholeRound; round++)
        {
            // Two frames per connection: the second finds the token lent to the scope and is queued behind the first.
            var first = Bytes(round, 0, 40);
            var second = Bytes(round, 1, 70);
            long before = SendBatch.SubmittedOnThisThread;
            bool seenEarly;
            using (SendBatch.Open())
            {
                foreach (var pair in pairs.All)
                {
                    pair.Connection.Enqueue(first).Should().BeTrue();
                    pair.Connection.Enqueue(second).Should().BeTrue();
                }

                seenEarly = pairs.All.Any(p => p.Peer.Available > 0);
            }

            long submitted = SendBatch.SubmittedOnThisThread - before;
            if (submitted == recipients)
            {
                // Every connection was idle: nothing was written before the scope ended.
                seenEarly.Should().BeFalse("gathered frames wait for the end of the scope");
                wholeRound = true;
            }

            for (int i = 0; i < recipients; i++)
            {
                expected[i].AddRange(first);
                expected[i].AddRange(second);
                (await pairs.All[i].ReadAsync(first.Length + second.Length)).Should().Equal(first.Concat(second), $"recipient {i}, round {round}");
            }
        }

        wholeRound.Should().BeTrue("once the writers are parked, a round's first frames are all gathered and submitted together");
    }

    [Test]
    public void The_start_up_line_says_fan_outs_go_through_io_uring_on_this_machine()
    {
        if (!OperatingSystem.IsLinux())
        {
            Uring.Describe().Should().Be("one send per copy (io_uring is Linux only)");
            return;
        }

        Uring.Describe().Should().Be("io_uring, one submission per fan-out");
    }

    [Test]
    public async Task A_fan_out_larger_than_one_submission_sends_the_first_recipients_frames_before_the_scope_ends()
    {
        int recipients = SendBatch.FlushEvery + 6;
        await using var pairs = await Pairs.OpenAsync(recipients);
        await pairs.WaitUntilGatheredAsync();

        var frame = Bytes(5, 0, 32);
        bool firstEarly, lastEarly;
        using (SendBatch.Open())
        {
            foreach (var pair in pairs.All)
            {
                pair.Connection.Enqueue(frame).Should().BeTrue();
            }

            firstEarly = pairs.All[0].Peer.Available > 0;
            lastEarly = pairs.All[^1].Peer.Available > 0;
        }

        firstEarly.Should().BeTrue("the first submission went when it was full");
        lastEarly.Should().BeFalse("the rest waits for the scope's end");
        foreach (var pair in pairs.All)
        {
            (await pair.ReadAsync(frame.Length)).Should().Equal(frame);
        }
    }

    [Test]
    public async Task A_busy_processs_tick_sends_every_connections_batch_in_one_submission_whole_and_in_order()
    {
        // Busy from the first measurement on: every frame waits for the tick, which copies each connection's batch
        // into one buffer and gathers it.
        var coalescer = new WriteCoalescer(busyFramesPerSecond: -1, tickMs: 20);
        SpinWait.SpinUntil(() => coalescer.IsBusy, Timeout).Should().BeTrue("the coalescer measures its first window");
        await using var pairs = await Pairs.OpenAsync(8, options: new ChatConnectionOptions { Coalescer = coalescer });
        var frames = Enumerable.Range(0, 5).Select(i => Bytes(3, i, 50 + i)).ToArray();
        // Larger than the connection's write buffer: that batch is written through the stream, as before.
        var big = Bytes(3, 9, ChatConnectionOptions.Default.WriteBufferSize + 10);

        // Rounds until a tick found the connections' writers parked (new connections' writers may still hold their
        // streams at the first ticks, and then write the batch themselves: CI, 2026-12-07); every round arrives whole
        // and in order either way.
        var expected = frames.SelectMany(f => f).ToArray();
        for (int round = 0; round < 20 && coalescer.GatheredWrites == 0; round++)
        {
            foreach (var pair in pairs.All)
            {
                foreach (var frame in frames)
                {
                    pair.Connection.Enqueue(frame).Should().BeTrue();
                }
            }

            foreach (var pair in pairs.All)
            {
                (await pair.ReadAsync(expected.Length)).Should().Equal(expected);
            }

            // Counted by the tick thread after its scope ends, which can be after the bytes arrived here.
            SpinWait.SpinUntil(() => coalescer.GatheredWrites > 0, TimeSpan.FromMilliseconds(250));
        }

        coalescer.GatheredWrites.Should().BeGreaterThan(0, "the tick's writes went to the kernel together");
        pairs.All[0].Connection.Enqueue(big).Should().BeTrue();
        pairs.All[0].Connection.Enqueue(frames[0]).Should().BeTrue();
        (await pairs.All[0].ReadAsync(big.Length + frames[0].Length)).Should().Equal(big.Concat(frames[0]));
    }

    [Test]
    public async Task What_a_full_socket_does_not_take_is_finished_by_the_connections_writer_in_order()
    {
        await using var pairs = await Pairs.OpenAsync(2, sendBuffer: 4096);
        await pairs.WaitUntilGatheredAsync();

        // Far more than the socket and the peer's buffers hold while the peer reads nothing: the send is partial.
        var big = Bytes(7, 0, 1 << 20);
        var after = Bytes(7, 1, 100);
        var small = Bytes(7, 2, 100);
        long before = SendBatch.SubmittedOnThisThread;
        using (SendBatch.Open())
        {
            pairs.All[0].Connection.Enqueue(big).Should().BeTrue();
            pairs.All[0].Connection.Enqueue(after).Should().BeTrue();
            pairs.All[1].Connection.Enqueue(small).Should().BeTrue();
        }

        (SendBatch.SubmittedOnThisThread - before).Should().Be(2);
        (await pairs.All[1].ReadAsync(small.Length)).Should().Equal(small, "the other recipient is not held up");
        (await pairs.All[0].ReadAsync(big.Length + after.Length)).Should().Equal(big.Concat(after), "the rest of the big frame, then the next");
    }

    [Test]
    public async Task A_socket_closed_before_the_flush_ends_only_its_own_connection()
    {
        await using var pairs = await Pairs.OpenAsync(3);
        await pairs.WaitUntilGatheredAsync();

        var frame = Bytes(9, 0, 64);
        using (SendBatch.Open())
        {
            foreach (var pair in pairs.All)
            {
                pair.Connection.Enqueue(frame).Should().BeTrue();
            }

            // Its number must not be written to after this, even if another socket gets it.
            pairs.All[1].Socket.Dispose();
        }

        (await pairs.All[0].ReadAsync(frame.Length)).Should().Equal(frame);
        (await pairs.All[2].ReadAsync(frame.Length)).Should().Equal(frame);
        var ended = await pairs.All[1].Run.WaitAsync(Timeout);
        ended.Kind.Should().NotBe(DisconnectKind.Local);
    }

    private static byte[] Bytes(int round, int which, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((round * 31) + (which * 7) + i);
        }

        return bytes;
    }

    /// <summary>A server-side ChatConnection over a loopback socket, and the peer socket that reads what it writes.</summary>
    private sealed class Pair(Socket socket, Socket peer, ChatConnection connection, Task<DisconnectReason> run)
    {
        public Socket Socket => socket;

        public Socket Peer => peer;

        public ChatConnection Connection => connection;

        public Task<DisconnectReason> Run => run;

        public async Task<byte[]> ReadAsync(int length)
        {
            var buffer = new byte[length];
            int read = 0;
            using var timeout = new CancellationTokenSource(Timeout);
            while (read < length)
            {
                int n = await peer.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return buffer[..read];
        }
    }

    private sealed class Pairs : IAsyncDisposable
    {
        private Pairs(List<Pair> all) => All = all;

        public List<Pair> All { get; }

        public static async Task<Pairs> OpenAsync(int count, int sendBuffer = 0, ChatConnectionOptions? options = null)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(count);
            var all = new List<Pair>();
            for (int i = 0; i < count; i++)
            {
                var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                if (sendBuffer > 0)
                {
                    peer.ReceiveBufferSize = sendBuffer;
                }

                await peer.ConnectAsync(listener.LocalEndPoint!);
                var socket = await listener.AcceptAsync();
                socket.NoDelay = true;
                if (sendBuffer > 0)
                {
                    socket.SendBufferSize = sendBuffer;
                }

                var connection = new ChatConnection(new NetworkStream(socket, ownsSocket: true), options ?? ChatConnectionOptions.Default, socket);
                all.Add(new Pair(socket, peer, connection, connection.RunAsync((_, _) => { })));
            }

            return new Pairs(all);
        }

        /// <summary>Rounds of one small frame each until a round is gathered whole (every writer parked).</summary>
        public async Task WaitUntilGatheredAsync()
        {
            var probe = Bytes(1, 9, 8);
            for (int round = 0; round < 100; round++)
            {
                long before = SendBatch.SubmittedOnThisThread;
                using (SendBatch.Open())
                {
                    foreach (var pair in All)
                    {
                        pair.Connection.Enqueue(probe).Should().BeTrue();
                    }
                }

                bool whole = SendBatch.SubmittedOnThisThread - before == All.Count;
                foreach (var pair in All)
                {
                    (await pair.ReadAsync(probe.Length)).Should().Equal(probe);
                }

                if (whole)
                {
                    return;
                }
            }

            Assert.Fail("the connections' writers never parked, so no frame was gathered");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var pair in All)
            {
                pair.Connection.Close(DisconnectReason.Local("test over"));
                pair.Peer.Dispose();
                await pair.Run.WaitAsync(Timeout).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
