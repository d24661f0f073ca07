using System.Buffers;
using System.Net.Sockets;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Harness.Infra;

/// <summary>
/// A hand-driven connection for conformance checks and the stalled client: writes whatever bytes it is told to and
/// reads replies with <see cref="FrameCodec"/>, so it can misbehave in ways <see cref="Core.Client.ChatClient"/> never would.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private static readonly ProtocolLimits s_limits = ProtocolLimits.Default with { MaxFrameSize = 16 * 1024 * 1024, MaxMessageBytes = 65535 };
    private readonly Socket _socket;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RawPeer(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    public Socket Socket => _socket;

    public static async Task<RawPeer> ConnectAsync(ServerTarget target, CancellationToken cancellationToken, int receiveBuffer = 0, System.Net.IPAddress? localAddress = null)
    {
        var (socket, stream) = await target.OpenAsync(cancellationToken, localAddress, receiveBuffer).ConfigureAwait(false);
        return new RawPeer(socket, stream);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes).ConfigureAwait(false);
        await _stream.FlushAsync().ConfigureAwait(false);
    }

    public Task SendAsync(ChatCommand command, IPacket packet, string target = "") => SendAsync(FrameCodec.Serialize(command, target, packet));

    /// <summary>Reads the next frame, or reports close, silence or garbage.</summary>
    public async Task<RawReply> ReadAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            if (TryTakeFrame(out var reply))
            {
                return reply!;
            }

            if (_end == _buffer.Length)
            {
                Compact();
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return new RawReply(ReplyKind.TimedOut);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                return new RawReply(ReplyKind.Closed, Detail: ex.InnerException?.Message ?? ex.Message);
            }

            if (read == 0)
            {
                return new RawReply(ReplyKind.Closed, Detail: _end > _start ? $"{_end - _start} bytes of an incomplete frame left" : string.Empty);
            }

            _end += read;
        }
    }

    /// <summary>Reads until a frame matches; frames that do not match (presence, user lists) are skipped.</summary>
    public async Task<RawReply> ReadUntilAsync(Func<RawReply, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return new RawReply(ReplyKind.TimedOut);
            }

            var reply = await ReadAsync(left).ConfigureAwait(false);
            if (reply.Kind != ReplyKind.Frame || match(reply))
            {
                return reply;
            }
        }
    }

    /// <summary>Reads until the server closes; returns the first Error or ServerDisconnected frame seen, and whether it closed.</summary>
    public async Task<(bool Closed, ErrorPacket? Error)> ReadUntilClosedAsync(TimeSpan timeout)
    {
        ErrorPacket? error = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var reply = await ReadAsync(deadline - DateTime.UtcNow).ConfigureAwait(false);
            switch (reply.Kind)
            {
                case ReplyKind.Closed:
                    return (true, error);
                case ReplyKind.TimedOut:
                    return (false, error);
                case ReplyKind.Malformed:
                    return (false, error);
                default:
                    error ??= reply.Error;
                    break;
            }
        }

        return (false, error);
    }

    /// <summary>Reads the server's Hello and answers with ours at <paramref name="version"/>.</summary>
    public async Task<ServerHelloPacket> HelloAsync(ushort version = ProtocolLimits.CurrentVersion, ClientHelloMarks marks = ClientHelloMarks.None)
    {
        await SendAsync(ChatCommand.Hello, new ClientHelloPacket(version, "lantalk-harness raw", marks)).ConfigureAwait(false);
        var reply = await ReadAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return reply.Packet as ServerHelloPacket ?? throw new CheckFailedException($"expected ServerHello first, got {reply}");
    }

    /// <summary>Hello, then login; returns the login's answer (UserAuthenticated, or an Error).</summary>
    public async Task<RawReply> LoginAsync(string user, string password)
    {
        await SendAsync(ChatCommand.RequestLogin, new LoginPacket(user, password)).ConfigureAwait(false);
        return await ReadUntilAsync(r => r.Command is ChatCommand.UserAuthenticated or ChatCommand.Error or ChatCommand.ServerDisconnected, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }

    private bool TryTakeFrame(out RawReply? reply)
    {
        reply = null;
        var sequence = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
        try
        {
            if (!FrameCodec.TryReadFrame(ref sequence, s_limits.MaxFrameSize, out var payload))
            {
                if (_end - _start >= 4)
                {
                    // Make room for the whole frame; its length was already checked against the limit.
                    int needed = BitConverter.ToInt32(_buffer, _start) + 4;
                    if (needed > _buffer.Length)
                    {
                        Array.Resize(ref _buffer, needed);
                    }
                }

                return false;
            }

            var frame = RawFrame.Parse(payload.FirstSpan);
            reply = new RawReply(ReplyKind.Frame, frame.Command, frame.TargetName, frame.Type, frame.ReadPacket(s_limits));
            _start += (int)payload.Length + 4;
            return true;
        }
        catch (ProtocolViolationException ex)
        {
            reply = new RawReply(ReplyKind.Malformed, Detail: ex.Message);
            _start = _end;
            return true;
        }
    }

    private void Compact()
    {
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }

    /// <summary>Half-closes our side: the server sees end of input while we can still read its answer.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // Already reset by the server.
        }

        _socket.Dispose();
    }
}
