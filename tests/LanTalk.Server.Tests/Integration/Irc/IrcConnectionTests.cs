using System.Net;
using System.Net.Sockets;
using System.Text;
using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// The IRC connection's output path over a real loopback socket: lines written straight from several producer
/// threads at once (the write token) arrive whole and in order per producer, the closing ERROR comes after what was
/// queued, and a peer that stops reading is cut off as a slow consumer.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcConnectionTests
{
    private sealed class Pair : IAsyncDisposable
    {
        private Pair(TcpClient peer, IrcConnection connection, Task<string> run)
        {
            Peer = peer;
            Connection = connection;
            Run = run;
        }

        public TcpClient Peer { get; }

        public IrcConnection Connection { get; }

        public Task<string> Run { get; }

        /// <summary>An IrcConnection on the server side of a loopback TCP pair; its read loop ignores what comes in.</summary>
        public static async Task<Pair> StartAsync(int maxLines, long maxBytes, Action<Socket>? tunePeer = null, Action<Socket>? tuneServer = null, Func<Stream, Stream>? wrap = null)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var peer = new TcpClient();
            tunePeer?.Invoke(peer.Client);
            var accept = listener.AcceptSocketAsync();
            await peer.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var socket = await Wait.ForAsync(accept, "the accept");
            tuneServer?.Invoke(socket);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            var connection = new IrcConnection(wrap?.Invoke(stream) ?? stream, maxLines, maxBytes, coalescer: null);
            return new Pair(peer, connection, connection.RunAsync((_, _) => ValueTask.CompletedTask));
        }

        public async ValueTask DisposeAsync()
        {
            Connection.Abort("test over");
            Peer.Dispose();
            await Wait.ForAsync(Run, "the connection's loops to end");
            Connection.Dispose();
        }
    }

    private static async Task<List<string>> ReadLinesAsync(TcpClient peer, int count)
    {
        var reader = new StreamReader(peer.GetStream(), Encoding.UTF8);
        var lines = new List<string>(count);
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        while (lines.Count < count && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    [Test]
    public async Task A_stream_failure_of_an_unexpected_type_ends_the_connection_as_lost_not_as_an_internal_error(
        [Values("read", "write")] string side)
    {
        // An SslStream on Linux can throw OpenSSL's own exception type (not an IOException) once the peer is gone.
        FaultingStream? faulting = null;
        await using var pair = await StartAsync(100, 1 << 20, wrap: inner => faulting = new FaultingStream(inner));
        var fault = new InvalidOperationException("SSL failed (as OpenSSL's SslException)");
        if (side == "read")
        {
            faulting!.ReadFault = fault;
            await pair.Peer.GetStream().WriteAsync("PING x\r\n"u8.ToArray());
        }
        else
        {
            faulting!.WriteFault = fault;
            pair.Connection.Send("PONG x\r\n"u8.ToArray());
        }

        string reason = await Wait.ForAsync(pair.Run, "the connection to end");
        reason.Should().Contain("SSL failed").And.NotContain("internal error");
    }

    [Test]
    public async Task Lines_from_several_threads_at_once_arrive_whole_and_in_order_per_thread_then_ERROR_last()
    {
        const int Threads = 4;
        const int PerThread = 500;
        // Small socket buffers and a peer that reads only after the close: most lines are still queued when the
        // ERROR line is offered, so it must be written after them, not ahead.
        await using var pair = await StartAsync(10_000, 16 << 20, s => s.ReceiveBufferSize = 4096, s => s.SendBufferSize = 4096);

        var producers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                for (int n = 0; n < PerThread; n++)
                {
                    pair.Connection.Send(Encoding.UTF8.GetBytes($":s PRIVMSG #t :{t} {n} {new string('x', n % 300)}\r\n")).Should().BeTrue();
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Wait.ForAsync(Task.WhenAll(producers), "the producers");
        pair.Connection.Close("done", Encoding.UTF8.GetBytes("ERROR :Closing Link: done\r\n"));
        var lines = await Wait.ForAsync(ReadLinesAsync(pair.Peer, Threads * PerThread + 1), "every line");

        lines.Should().HaveCount(Threads * PerThread + 1);
        lines[^1].Should().Be("ERROR :Closing Link: done");
        var next = new int[Threads];
        foreach (var line in lines.SkipLast(1))
        {
            var words = line.Split(' ');
            int thread = int.Parse(words[3].TrimStart(':'), System.Globalization.CultureInfo.InvariantCulture);
            int n = int.Parse(words[4], System.Globalization.CultureInfo.InvariantCulture);
            n.Should().Be(next[thread]++, "lines of one producer keep their order");
            line.Should().Be($":s PRIVMSG #t :{thread} {n} {new string('x', n % 300)}");
        }

        next.Should().OnlyContain(n => n == PerThread);
    }

    [Test]
    public async Task A_peer_that_stops_reading_is_cut_off_as_a_slow_consumer()
    {
        // A small receive window, so the kernel buffers little and the connection's queue is what fills up.
        await using var pair = await StartAsync(64, 1 << 20, socket => socket.ReceiveBufferSize = 4096);
        var line = Encoding.UTF8.GetBytes(":s PRIVMSG #t :" + new string('x', 1000) + "\r\n");

        int sent = 0;
        while (sent < 100_000 && pair.Connection.Send(line))
        {
            sent++;
        }

        sent.Should().BeLessThan(100_000, "the queue is bounded");
        pair.Connection.CloseReason.Should().Be("slow consumer");
        pair.Connection.Send(line).Should().BeFalse("a closed connection takes nothing more");
        await Wait.ForAsync(pair.Run, "the connection's loops to end");
    }

    private static Task<Pair> StartAsync(int maxLines, long maxBytes, Action<Socket>? tunePeer = null, Action<Socket>? tuneServer = null, Func<Stream, Stream>? wrap = null) =>
        Pair.StartAsync(maxLines, maxBytes, tunePeer, tuneServer, wrap);
}
