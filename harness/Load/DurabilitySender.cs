using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

/// <summary>
/// One sender of the durability scenario: numbered public messages ("dur NAME N", tag N + 1) with a window of
/// unconfirmed ones, recording the id of each echo. The echo is the acknowledgement the server promises never to
/// lose, so every id recorded here must be in history after a kill -9 and a restart.
/// </summary>
internal sealed class DurabilitySender(string userName) : IAsyncDisposable
{
    private static readonly ChatConnectionOptions s_options = new()
    {
        Limits = ProtocolLimits.Default with { MaxFrameSize = 16 * 1024 * 1024 },
        CloseLinger = TimeSpan.FromMilliseconds(200),
    };

    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _login = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();

    // Sequence number -> message id of its echo. Written by the read loop, read after the run.
    private readonly Dictionary<int, ulong> _acknowledged = [];
    private SemaphoreSlim? _window;
    private ChatConnection? _connection;
    private Task<DisconnectReason>? _run;

    public string UserName => userName;

    public int Sent { get; private set; }

    public int Refused { get; private set; }

    public ErrorCode LastRefusal { get; private set; }

    public int AcknowledgedCount
    {
        get
        {
            lock (_lock)
            {
                return _acknowledged.Count;
            }
        }
    }

    /// <summary>Raised on the read loop after each echo, with this sender's running count.</summary>
    public Action? Acknowledged { get; set; }

    public static string Text(string user, int sequence) => $"dur {user} {sequence}";

    public IReadOnlyDictionary<int, ulong> Snapshot()
    {
        lock (_lock)
        {
            return new Dictionary<int, ulong>(_acknowledged);
        }
    }

    public async Task ConnectAsync(ServerTarget target, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(15));
        var (socket, stream) = await target.OpenAsync(limit.Token).ConfigureAwait(false);
        _connection = new ChatConnection(stream, s_options, socket) { Label = userName };
        _run = RunAsync(_connection);
        _connection.Send(ChatCommand.Hello, string.Empty, new ClientHelloPacket(ProtocolLimits.CurrentVersion, "lantalk-harness durability"));
        await _hello.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        _connection.Send(ChatCommand.RequestLogin, string.Empty, new LoginPacket(userName, target.Users.Password));
        await _login.Task.WaitAsync(limit.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends messages <paramref name="first"/>..<paramref name="first"/>+<paramref name="count"/>-1, at most
    /// <paramref name="window"/> unconfirmed; returns when all are confirmed or the connection ends (the kill).
    /// </summary>
    public async Task SendAsync(int first, int count, int window, TimeSpan timeout)
    {
        var connection = _connection ?? throw new InvalidOperationException("not connected");
        _window?.Dispose();
        _window = new SemaphoreSlim(window);
        using var limit = new CancellationTokenSource(timeout);
        var closed = connection.Completion;
        try
        {
            for (int n = first; n < first + count; n++)
            {
                var slot = _window.WaitAsync(limit.Token);
                if (await Task.WhenAny(slot, closed).ConfigureAwait(false) == closed || connection.IsClosing)
                {
                    return;
                }

                await slot.ConfigureAwait(false);
                connection.Send(ChatCommand.PublicMessage, string.Empty, new SendTextPacket((uint)n + 1, Text(userName, n)));
                Sent++;
            }

            // The last window: wait until every echo is in, or the connection ends.
            for (int i = 0; i < window; i++)
            {
                var slot = _window.WaitAsync(limit.Token);
                if (await Task.WhenAny(slot, closed).ConfigureAwait(false) == closed)
                {
                    return;
                }

                await slot.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            throw new HarnessException($"{userName}: messages were neither confirmed nor refused within {timeout.TotalSeconds:0} s, and the connection is still open");
        }
    }

    /// <summary>Waits until the server has ended this connection (after the kill); false if it is still open after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitClosedAsync(TimeSpan timeout)
    {
        if (_run is null)
        {
            return true;
        }

        return await Task.WhenAny(_run, Task.Delay(timeout)).ConfigureAwait(false) == _run;
    }

    public async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            connection.Abort(DisconnectReason.Local("harness closed the client"));
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _window?.Dispose();
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

        var failure = new LoginRefusedException(reason.Code, reason.Message);
        _hello.TrySetException(failure);
        _login.TrySetException(failure);
        return reason;
    }

    private void OnFrame(ChatConnection connection, RawFrame frame)
    {
        switch (frame.Command)
        {
            case ChatCommand.Hello:
                _hello.TrySetResult();
                break;
            case ChatCommand.UserAuthenticated:
                _login.TrySetResult();
                break;
            case ChatCommand.Ping:
                connection.SendPriority(ChatCommand.Pong, frame.ReadPacket(s_options.Limits));
                break;
            case ChatCommand.PublicMessage when frame.Type == PacketType.ChatMessage:
                var message = (ChatMessagePacket)frame.ReadPacket(s_options.Limits);
                if (message.Tag != 0 && string.Equals(message.From, userName, StringComparison.Ordinal))
                {
                    lock (_lock)
                    {
                        _acknowledged[(int)message.Tag - 1] = message.MessageId;
                    }

                    _window?.Release();
                    Acknowledged?.Invoke();
                }

                break;
            case ChatCommand.Error:
                var error = (ErrorPacket)frame.ReadPacket(s_options.Limits);
                if (!_login.Task.IsCompleted)
                {
                    _login.TrySetException(new LoginRefusedException(error.Code, error.Text));
                }
                else if (error.Tag != 0)
                {
                    // Refused (StorageUnavailable, RateLimited): not acknowledged, so not promised; the slot is free again.
                    Refused++;
                    LastRefusal = error.Code;
                    _window?.Release();
                }

                break;
        }
    }
}
