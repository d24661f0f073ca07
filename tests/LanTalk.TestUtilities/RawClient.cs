using System.Buffers;
using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.TestUtilities;

/// <summary>
/// A bare TCP client that speaks frames through <see cref="FrameCodec"/> and nothing else: it sends whatever bytes a
/// test gives it, never answers pings, and tells end-of-stream apart from a frame, so tests can play a hostile or
/// stalled peer that <see cref="Core.Client.ChatClient"/> would never be.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    private RawClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public Socket Socket => _socket;

    /// <param name="port">The server's port on 127.0.0.1.</param>
    /// <param name="configure">Runs before connecting, for options such as a small receive buffer.</param>
    public static async Task<RawClient> ConnectAsync(int port, Action<Socket>? configure = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        configure?.Invoke(socket);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Wait.Timeout);
        return new RawClient(socket);
    }

    public async Task SendBytesAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes).AsTask().WaitAsync(Wait.Timeout);

    public Task SendAsync(ChatCommand command, IPacket packet, string target = "") =>
        SendBytesAsync(FrameCodec.Serialize(command, target, packet));

    /// <summary>The next frame, or null when the server closed the connection (EOF or reset) at a frame boundary.</summary>
    public async Task<ReceivedFrame?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Wait.Timeout);
        while (true)
        {
            var pending = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
            if (FrameCodec.TryReadFrame(ref pending, int.MaxValue - 4, out var payload))
            {
                var frame = RawFrame.Parse(payload.ToArray());
                _start += 4 + (int)payload.Length;
                return new ReceivedFrame(frame.Command, frame.TargetName, frame.Type, frame.Body.ToArray());
            }

            Compact();
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no frame from the server within {(timeout ?? Wait.Timeout).TotalSeconds} s");
            }
            catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                read = 0;
            }

            if (read == 0)
            {
                _end.Should().Be(_start, "the server closed the connection at a frame boundary");
                return null;
            }

            _end += read;
        }
    }

    /// <summary>Every frame until the server closes the connection (each read bounded by the usual timeout).</summary>
    public async Task<List<ReceivedFrame>> ReadAllUntilClosedAsync()
    {
        var frames = new List<ReceivedFrame>();
        while (await ReadFrameAsync() is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>Reads frames until one satisfies <paramref name="match"/>; fails on EOF.</summary>
    public async Task<ReceivedFrame> ReadUntilAsync(Func<ReceivedFrame, bool> match, string what)
    {
        while (true)
        {
            var frame = await ReadFrameAsync();
            frame.Should().NotBeNull($"the server should send {what} before closing");
            if (match(frame!))
            {
                return frame!;
            }
        }
    }

    /// <summary>
    /// The next frame other than presence must be an Error with <paramref name="code"/>, and the server must then close.
    /// Presence is skipped because the server batches it on a timer, so a batch may land anywhere in between.
    /// </summary>
    public async Task<ErrorPacket> ExpectErrorThenCloseAsync(ErrorCode code, ChatCommand command = ChatCommand.Error)
    {
        var frame = await ReadNonPresenceFrameAsync();
        frame.Should().NotBeNull($"the server sends Error({code}) before closing");
        frame!.Command.Should().Be(command, $"expected {command}({code}), got {frame}");
        var error = (ErrorPacket)frame.Packet;
        error.Code.Should().Be(code, error.Text);
        await ExpectClosedAsync();
        return error;
    }

    /// <summary>The server closes the connection next, sending nothing more.</summary>
    public async Task ExpectClosedAsync()
    {
        var next = await ReadNonPresenceFrameAsync();
        next.Should().BeNull("the server closes the connection after a closing error");
    }

    private async Task<ReceivedFrame?> ReadNonPresenceFrameAsync()
    {
        while (true)
        {
            var frame = await ReadFrameAsync();
            if (frame?.Command is not (ChatCommand.UserConnected or ChatCommand.UserDisconnected))
            {
                return frame;
            }
        }
    }

    /// <summary>Reads ServerHello and answers with ClientHello (version 2 unless told).</summary>
    public async Task<ServerHelloPacket> HelloAsync(ushort version = ProtocolLimits.CurrentVersion)
    {
        var frame = await ReadFrameAsync();
        frame.Should().NotBeNull();
        frame!.Command.Should().Be(ChatCommand.Hello);
        await SendAsync(ChatCommand.Hello, new ClientHelloPacket(version, "raw test client"));
        return (ServerHelloPacket)frame.Packet;
    }

    /// <summary>Hello, then login; returns once the user list that completes the login has arrived.</summary>
    public async Task LoginAsync(string user, string password = TestServer.Password, ushort version = ProtocolLimits.CurrentVersion)
    {
        await HelloAsync(version);
        await SendAsync(ChatCommand.RequestLogin, new LoginPacket(user, password));
        var welcome = await ReadFrameAsync();
        welcome.Should().NotBeNull();
        welcome!.Command.Should().Be(ChatCommand.UserAuthenticated, $"login as {user} should succeed, got {welcome}");
        // The list may come in parts; the last has More unset.
        await ReadUntilAsync(f => f.Command == ChatCommand.RequestUsers && !((UserListPacket)f.Packet).More, "the user list");
    }

    private void Compact()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
