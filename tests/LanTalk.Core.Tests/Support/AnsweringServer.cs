using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Support;

/// <summary>
/// The server side of one loopback connection to a <see cref="ChatClient"/>, played by the test: it reads the client's
/// requests (so a test answers with their tags, when it chooses, in the order it chooses) and sends what the test
/// gives it. A server that is slow to answer is one whose test has not answered yet.
/// </summary>
internal sealed class AnsweringServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<DecodedFrame> _received = Channel.CreateUnbounded<DecodedFrame>();
    private readonly TaskCompletionSource<NetworkStream> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private TcpClient? _peer;

    public AnsweringServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = RunAsync();
    }

    public int Port { get; }

    /// <summary>Connects <paramref name="client"/> and logs it in as alice, session 7 (<paramref name="hello"/>: the ServerHello frame).</summary>
    public async Task LogInAsync(ChatClient client, byte[]? hello = null)
    {
        var connect = client.ConnectAsync("127.0.0.1", Port);
        await SendAsync(hello ?? ScriptedServer.Hello());
        await connect;
        var login = client.LoginAsync("alice", "password1");
        await NextAsync(ChatCommand.RequestLogin);
        await SendAsync(
            FrameCodec.Serialize(ChatCommand.UserAuthenticated, "alice", new WelcomePacket("alice", 7, 1_700_000_000_000)),
            FrameCodec.Serialize(ChatCommand.RequestUsers, "alice", new UserListPacket([new OnlineUser("alice", 1_700_000_000_000)])));
        await Wait.ForAsync(login, "the login");
    }

    /// <summary>The client's next frame, whatever it is.</summary>
    public async Task<DecodedFrame> NextFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The client's next frame with this command (others, Pong say, are skipped).</summary>
    public async Task<DecodedFrame> NextAsync(ChatCommand command)
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

    /// <summary>Sends the frames, in one write.</summary>
    public async Task SendAsync(params byte[][] frames)
    {
        var stream = await _accepted.Task.WaitAsync(Wait.Timeout);
        await stream.WriteAsync(frames.SelectMany(f => f).ToArray());
    }

    /// <summary>A replayed (History-flagged) message of <paramref name="room"/> ("" and <paramref name="with"/>: a private one).</summary>
    public static byte[] Replayed(string room, ulong id, string text, string? with = null) => FrameCodec.Serialize(
        with is null ? ChatCommand.PublicMessage : ChatCommand.PrivateMessage, with ?? room,
        new ChatMessagePacket(id, 1_700_000_000_000 + (long)id, "bob", 0, text, Flags: MessageMarks.History));

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
                while (FrameCodec.TryReadFrame(ref buffer, ProtocolLimits.LargestFrame, out var payload))
                {
                    _received.Writer.TryWrite(DecodedFrame.From(payload.ToArray()));
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
