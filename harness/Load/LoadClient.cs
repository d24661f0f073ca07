using System.Buffers.Binary;
using System.Net;
using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

/// <summary>
/// One load-generating session on a bare <see cref="ChatConnection"/>: Hello, login, pre-built SendText frames out,
/// and chat frames checked straight from their bytes (no packet objects, no strings) on the way in.
/// </summary>
internal sealed partial class LoadClient
{
    private static readonly ChatConnectionOptions s_options = new()
    {
        // A login's user list grows with the number online; 20,000 users do not fit the default 64 KiB frame.
        Limits = ProtocolLimits.Default with { MaxFrameSize = 16 * 1024 * 1024 },
        CloseLinger = TimeSpan.FromMilliseconds(500),
    };

    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _login = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<DisconnectReason>? _run;
    private bool _closingByUs;

    public LoadClient(int index, string userName, LoadRunState state)
    {
        Index = index;
        UserName = userName;
        NameUtf8 = Encoding.UTF8.GetBytes(userName);
        State = state;
    }

    /// <summary>Position in the current phase's plan; senders are 0..Senders-1.</summary>
    public int Index { get; private set; }

    public void Reindex(int index) => Index = index;

    public string UserName { get; }

    public byte[] NameUtf8 { get; }

    public LoadRunState State { get; }

    public ChatConnection? Connection { get; private set; }

    public bool IsLoggedIn { get; private set; }

    /// <summary>The ping interval the server announced; the runner's keep-alive pings at half of it.</summary>
    public long PingIntervalMs { get; private set; }

    /// <summary>When the keep-alive last pinged (clock ticks); only the keep-alive timer touches it.</summary>
    public long LastPingTicks { get; set; }

    /// <summary>Set when the server ended the session (an Error or ServerDisconnected frame, or an unexpected close).</summary>
    public DisconnectReason? ServerReason { get; private set; }

    /// <summary>Clock ticks when the server's disconnect was seen.</summary>
    public long ServerReasonTicks { get; private set; }

    /// <summary>Non-closing errors, such as RateLimited or UserOffline. Single writer (the read loop).</summary>
    public int NonClosingErrors { get; private set; }

    public ErrorCode LastNonClosingError { get; private set; }

    /// <summary>TCP connect, Hello exchange and login. Throws <see cref="LoginRefusedException"/> when the server says no.</summary>
    public async Task ConnectAndLoginAsync(ServerTarget target, IPAddress? localAddress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var (socket, stream) = await target.OpenAsync(limit.Token, localAddress).ConfigureAwait(false);
        var connection = new ChatConnection(stream, s_options, socket) { Label = $"#{Index} {UserName}" };
        Connection = connection;
        _run = RunAsync(connection);
        connection.Send(ChatCommand.Hello, string.Empty, new ClientHelloPacket(HelloVersion, "lantalk-harness"));
        try
        {
            await _hello.Task.WaitAsync(limit.Token).ConfigureAwait(false);
            connection.Send(ChatCommand.RequestLogin, string.Empty, new LoginPacket(UserName, target.Users.Password));
            await _login.Task.WaitAsync(limit.Token).ConfigureAwait(false);
            await JoinRoomAsync(connection, limit.Token).ConfigureAwait(false);
            IsLoggedIn = true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseAsync().ConfigureAwait(false);
            throw new LoginRefusedException(ErrorCode.None, $"no login answer within {timeout.TotalSeconds:0} s");
        }
        catch
        {
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<DisconnectReason> RunAsync(ChatConnection connection)
    {
        DisconnectReason reason;
        try
        {
            reason = await connection.RunAsync(OnFrame).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            reason = new DisconnectReason(DisconnectKind.ConnectionLost, ErrorCode.None, ex.Message);
        }

        if (!_closingByUs && ServerReason is null)
        {
            ServerReasonTicks = Clock.Now;
            ServerReason = reason;
        }

        var failure = new LoginRefusedException(reason.Code, reason.Message);
        _hello.TrySetException(failure);
        _login.TrySetException(failure);
        _joined.TrySetException(failure);
        return reason;
    }

    private void OnFrame(ChatConnection connection, RawFrame frame)
    {
        switch (frame.Command)
        {
            case ChatCommand.PublicMessage or ChatCommand.PrivateMessage when frame.Type == PacketType.ChatMessage:
                OnChatMessage(frame.Body, frame.Command == ChatCommand.PrivateMessage);
                break;
            case ChatCommand.Ping:
                connection.SendPriority(ChatCommand.Pong, frame.ReadPacket(s_options.Limits));
                break;
            case ChatCommand.Hello:
                if (frame.ReadPacket(s_options.Limits) is ServerHelloPacket hello)
                {
                    PingIntervalMs = hello.PingIntervalSeconds * 1000L;
                }

                _hello.TrySetResult();
                break;
            case ChatCommand.UserAuthenticated:
                _login.TrySetResult();
                break;
            case ChatCommand.JoinRoom:
                OnJoinFrame(frame);
                break;
            case ChatCommand.UserDisconnected when frame.Type == PacketType.Presence:
                State.OnUserLeft(frame.Target);
                break;
            case ChatCommand.UserDisconnected when State.IsWatching:
                // Batched leaves: a list of users. Rare, so decoding it is fine.
                foreach (var user in ((UserListPacket)frame.ReadPacket(s_options.Limits)).Users)
                {
                    State.OnUserLeft(Encoding.UTF8.GetBytes(user.Name));
                }

                break;
            case ChatCommand.Error or ChatCommand.ServerDisconnected:
                OnError(connection, frame);
                break;
            default:
                // Presence joins, user lists, pongs and notices carry nothing a load run checks.
                break;
        }
    }

    private void OnError(ChatConnection connection, RawFrame frame)
    {
        var error = (ErrorPacket)frame.ReadPacket(s_options.Limits);
        if (frame.Command == ChatCommand.ServerDisconnected || error.ClosesConnection)
        {
            ServerReasonTicks = Clock.Now;
            ServerReason = new DisconnectReason(DisconnectKind.RemoteError, error.Code, error.Text);
            connection.Close(ServerReason);
            _login.TrySetException(new LoginRefusedException(error.Code, error.Text));
            _joined.TrySetException(new LoginRefusedException(error.Code, error.Text));
            return;
        }

        if (!_login.Task.IsCompleted)
        {
            _login.TrySetException(new LoginRefusedException(error.Code, error.Text));
            return;
        }

        if (Room is not null && !_joined.Task.IsCompleted)
        {
            _joined.TrySetException(new LoginRefusedException(error.Code, $"joining {Room}: {error.Text}"));
            return;
        }

        NonClosingErrors++;
        LastNonClosingError = error.Code;
    }

    /// <summary>Closes from our side; the server's view of it is a normal disconnect.</summary>
    public async Task CloseAsync(bool logout = false)
    {
        _closingByUs = true;
        if (Connection is { } connection)
        {
            if (logout && !connection.IsClosing)
            {
                connection.Send(ChatCommand.Logout, string.Empty, EmptyPacket.Instance);
                if (_run is { } pending)
                {
                    await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
                }
            }

            connection.Abort(DisconnectReason.Local("harness closed the client"));
            if (_run is { } run)
            {
                await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the text of a ChatMessage body in place: its length field sits at <see cref="ChatMessageFrame.TextOffset"/>.</summary>
    private static ReadOnlySpan<byte> TextOf(ReadOnlySpan<byte> body)
    {
        int offset = ChatMessageFrame.TextOffset(body);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(body[offset..]);
        return body.Slice(offset + 2, length);
    }

    /// <summary>A ChatMessage's v3 Flags (MessageMarks), the byte after the text and its Kind; None when the body ends before it (a v2 sender's server).</summary>
    private static MessageMarks MarksOf(ReadOnlySpan<byte> body)
    {
        int offset = ChatMessageFrame.TextOffset(body);
        int flags = offset + 2 + BinaryPrimitives.ReadUInt16LittleEndian(body[offset..]) + 1;
        return flags < body.Length ? (MessageMarks)body[flags] : MessageMarks.None;
    }

    public override string ToString() => $"#{Index} {UserName}";
}
