using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.TestUtilities;

/// <summary>
/// The server side of one loopback connection, played from a script: it accepts one client, sends the frames a test
/// gives it when the test says so, and reads the client's frames until the client closes, for a test that answers
/// them (with their tags, when it chooses, in the order it chooses: a server slow to answer is one whose test has not
/// answered yet). For byte orders a hostile or broken server can produce and lantalk-server never does, to test what
/// a client makes of them.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<ReceivedFrame> _received = Channel.CreateUnbounded<ReceivedFrame>();
    private readonly TaskCompletionSource<NetworkStream> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private TcpClient? _peer;

    public ScriptedServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = RunAsync();
    }

    public int Port { get; }

    /// <summary>A ServerHello for versions 2-3 with the reference limits; <paramref name="pingSeconds"/> as given.</summary>
    public static byte[] Hello(int pingSeconds = 30, int idleSeconds = 45) => FrameCodec.Serialize(ChatCommand.Hello, string.Empty,
        new ServerHelloPacket(2, 3, "scripted", 65536, 32, 4096, pingSeconds, idleSeconds, 1_700_000_000_000, ServerFeatures.None));

    /// <summary>Sends the frames, in one write, once the client has connected.</summary>
    public async Task SendAsync(params byte[][] frames)
    {
        var stream = await _accepted.Task.WaitAsync(Wait.Timeout);
        await stream.WriteAsync(frames.SelectMany(f => f).ToArray());
    }

    /// <summary>Connects <paramref name="client"/> and logs it in as alice, session 7 (<paramref name="hello"/>: the ServerHello frame).</summary>
    public async Task LogInAsync(ChatClient client, byte[]? hello = null)
    {
        var connect = client.ConnectAsync("127.0.0.1", Port);
        await SendAsync(hello ?? Hello());
        await connect;
        var login = client.LoginAsync("alice", "password1");
        await NextAsync(ChatCommand.RequestLogin);
        await SendAsync(
            FrameCodec.Serialize(ChatCommand.UserAuthenticated, "alice", new WelcomePacket("alice", 7, 1_700_000_000_000)),
            FrameCodec.Serialize(ChatCommand.RequestUsers, "alice", new UserListPacket([new OnlineUser("alice", 1_700_000_000_000)])));
        await Wait.ForAsync(login, "the login");
    }

    /// <summary>The client's next frame, whatever it is.</summary>
    public async Task<ReceivedFrame> NextFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The client's next frame with this command (others, Pong say, are skipped).</summary>
    public async Task<ReceivedFrame> NextAsync(ChatCommand command)
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        while (true)
        {
            var frame = await _received.Reader.ReadAsync(timeout.Token);
            if (frame.Command == command)
            {
                return frame;
            }
        }
    }

    /// <summary>A replayed (History-flagged) message of <paramref name="room"/> ("" and <paramref name="with"/>: a private one).</summary>
    public static byte[] Replayed(string room, ulong id, string text, string? with = null) => FrameCodec.Serialize(
        with is null ? ChatCommand.PublicMessage : ChatCommand.PrivateMessage, with ?? room,
        new ChatMessagePacket(id, 1_700_000_000_000 + (long)id, "bob", 0, text, Flags: MessageMarks.History));

    /// <summary>Half-closes: the client reads end-of-stream after what was sent, as a server does after a closing Error.</summary>
    public async Task CloseSendingAsync()
    {
        await _accepted.Task.WaitAsync(Wait.Timeout);
        _peer!.Client.Shutdown(SocketShutdown.Send);
    }

    private async Task RunAsync()
    {
        try
        {
            _peer = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = _peer.GetStream();
            _accepted.TrySetResult(stream);
            var reader = PipeReader.Create(stream);
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                while (FrameCodec.TryReadFrame(ref buffer, int.MaxValue - 4, out var payload))
                {
                    var frame = RawFrame.Parse(payload.ToArray());
                    _received.Writer.TryWrite(new ReceivedFrame(frame.Command, frame.TargetName, frame.Type, frame.Body.ToArray()));
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
            // The client went, or the test is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _peer?.Dispose();
        _listener.Stop();
        _stop.Dispose();
    }
}
