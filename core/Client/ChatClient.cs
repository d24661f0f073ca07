using System.Net.Sockets;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Client;

/// <summary>
/// One LanTalk client session: connect, Hello, login, send and receive. Instances share nothing, so a load
/// harness can run thousands in one process. Events are raised on the connection's read loop; keep handlers short.
/// A handler that throws does not end the connection: its exception goes to <see cref="HandlerFailed"/>.
/// </summary>
public sealed partial class ChatClient : IAsyncDisposable
{
    private readonly ChatClientOptions _options;
    private readonly TaskCompletionSource<ServerHelloPacket> _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChatConnection? _connection;
    private Task<DisconnectReason>? _run;
    private volatile bool _disposed;

    // Cancelled by DisposeAsync, to end a ConnectAsync under way; _lifeLock orders the connection's creation against it.
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _lifeLock = new();

    public ChatClient(ChatClientOptions? options = null)
    {
        _options = options ?? ChatClientOptions.Default;
    }

    /// <summary>The server's Hello: its versions and limits. Null before connecting.</summary>
    public ServerHelloPacket? ServerHello { get; private set; }

    /// <summary>The name the server logged us in as, once authenticated.</summary>
    public string? UserName { get; private set; }

    public bool IsAuthenticated => UserName is not null && IsConnected;

    public bool IsConnected => _connection is { IsClosing: false };

    /// <summary>The transport, for callers that queue pre-built frames (the harness).</summary>
    public ChatConnection Connection => _connection ?? throw new InvalidOperationException("not connected");

    /// <summary>Sees every frame before the client handles it, with no allocation. Set before connecting.</summary>
    public FrameHandler? FrameObserver { get; set; }

    /// <summary>
    /// A message, live or replayed (Flags History). A replayed room message whose id this client already raised in that
    /// room (a live one that a resync's replay sends again, PROTOCOL.md History and catch-up) is not raised again.
    /// </summary>
    public event Action<ChatClient, ChatMessage>? MessageReceived;

    public event Action<ChatClient, PresencePacket>? UserJoined;

    public event Action<ChatClient, PresencePacket>? UserLeft;

    public event Action<ChatClient, NoticePacket>? NoticeReceived;

    /// <summary>Errors that answer no pending request and do not close the connection (RateLimited, for example).</summary>
    public event Action<ChatClient, ErrorPacket>? ErrorReceived;

    public event Action<ChatClient, DisconnectReason>? Disconnected;

    /// <summary>Completes when the connection has closed, with the reason.</summary>
    public Task<DisconnectReason> Completion => _run ?? Task.FromResult(DisconnectReason.Local("never connected"));

    /// <summary>
    /// Connects, completes the Hello exchange, and starts keep-alive. Throws <see cref="ChatClientException"/>, and
    /// <see cref="ObjectDisposedException"/> once the client was disposed.
    /// </summary>
    public async Task ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        // A client disposed before it ever connected connected anyway, and ran a keep-alive timer on an object its
        // owner believed disposed (an API audit, 2026-12-06). Checked first: one disposed after connecting was told
        // it "connects once", as if it were still in use (an outside audit, a-lib, LOW 9).
        ThrowIfDisposed();
        if (_connection is not null)
        {
            throw new InvalidOperationException("a ChatClient connects once; create a new one to reconnect");
        }

        // Checked before the socket opens: a ClientName over 256 bytes made the server close the connection.
        var clientHello = Encode(ChatCommand.Hello, string.Empty, new ClientHelloPacket(_options.Version, _options.ClientName, _options.OneShot ? ClientHelloMarks.OneShot : ClientHelloMarks.None));

        // DisposeAsync ends a connect under way (below): it cancels the timeout's token, and each step checks _disposed.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        Socket? socket = null;
        try
        {
            socket = await OpenSocketAsync(host, port, timeout.Token, cancellationToken).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (_options.WrapStream is { } wrap)
            {
                stream = await wrap(stream, host, timeout.Token).ConfigureAwait(false);
            }

            lock (_lifeLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _connection = new ChatConnection(stream, _options.Connection, socket) { Label = $"{host}:{port}" };
            }

            _run = RunConnectionAsync(_connection);
            // Speak first: a TLS server recognises a plaintext client by its first bytes and answers it clearly.
            _connection.Enqueue(clientHello);
            var hello = await _hello.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            AcceptHello(hello);
            // A DisposeAsync that ran meanwhile stopped a keep-alive not yet started: this one must not outlive it.
            ObjectDisposedException.ThrowIf(_disposed, this);
        }
        catch (Exception) when (_disposed)
        {
            // A DisposeAsync during the connect left a live connection behind: ConnectAsync completed, the keep-alive
            // pinged, and LoginAsync logged in on a client its owner had disposed, holding one of the user's sessions
            // (an API audit, 2026-12-06). The connect ends, and closes what it opened.
            socket?.Dispose();
            await DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(ChatClient), $"the ChatClient was disposed while connecting to {host}:{port}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && socket is not null)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw new ChatClientException(ChatFailure.Silent, $"{host}:{port} accepted the connection but sent nothing within {_options.ConnectTimeout.TotalSeconds:0} s");
        }
        catch when (socket is not null)
        {
            socket.Dispose();
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<Socket> OpenSocketAsync(string host, int port, CancellationToken timeout, CancellationToken caller)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_options.LocalAddress is { } local)
            {
                socket.Bind(new System.Net.IPEndPoint(local, 0));
            }

            if (await LocalNameAsync(host, timeout).ConfigureAwait(false) is { Count: > 0 } found)
            {
                await socket.ConnectAsync([.. found], port, timeout).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(host, port, timeout).ConfigureAwait(false);
            }

            SocketTuning.Apply(socket);
            return socket;
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ChatClientException(ChatFailure.TimedOut, $"no answer from {host}:{port} within {_options.ConnectTimeout.TotalSeconds:0} s");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new ChatClientException(ChatFailure.Refused, $"connection refused by {host}:{port}: no LanTalk server is listening there (is it running, and is the port right?)", inner: ex),
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new ChatClientException(ChatFailure.HostNotFound, $"cannot resolve host '{host}'", inner: ex),
                SocketError.TimedOut => new ChatClientException(ChatFailure.TimedOut, $"no answer from {host}:{port} (timed out)", inner: ex),
                _ => new ChatClientException(ChatFailure.ConnectionLost, $"cannot connect to {host}:{port}: {ex.Message}", inner: ex),
            };
        }
    }

    /// <summary>
    /// NAME.local through multicast DNS (RFC 6762), as <c>lantalk doctor</c> resolves it: the server prints that name at
    /// start, and a machine without avahi and nss-mdns could not connect to it although doctor said it was fine (an ops
    /// audit, 2026-12-05). Null for any other name, and empty when nobody answers, so DNS is asked as before (some
    /// networks serve .local from their DNS servers).
    /// </summary>
    private static async Task<IReadOnlyList<System.Net.IPAddress>?> LocalNameAsync(string host, CancellationToken timeout) =>
        host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) && !System.Net.IPAddress.TryParse(host, out _)
            ? await LanTalk.Core.Discovery.MdnsBrowser.ResolveHostAsync(host, TimeSpan.FromSeconds(2), timeout).ConfigureAwait(false)
            : null;

    private void AcceptHello(ServerHelloPacket hello)
    {
        if (hello.MinVersion > _options.Version || hello.MaxVersion < _options.Version)
        {
            Connection.Abort(DisconnectReason.Local("version mismatch"));
            throw new ChatClientException(ChatFailure.VersionMismatch,
                $"the server speaks protocol versions {hello.MinVersion}-{hello.MaxVersion}; this client speaks {_options.Version}", ErrorCode.UnsupportedVersion);
        }

        ServerHello = hello;
        StartKeepAlive(hello);
    }

    private async Task<DisconnectReason> RunConnectionAsync(ChatConnection connection)
    {
        var reason = await connection.RunAsync(OnFrame).ConfigureAwait(false);
        StopKeepAlive();
        var failure = ToException(reason);
        if (_hello.TrySetException(failure))
        {
            // Nobody waits for a hello the connect already gave up on (a TLS handshake that failed, say): read, the
            // exception is not rethrown as unobserved when the task is collected, in a client that goes on retrying.
            _ = _hello.Task.Exception;
        }

        FailPending(failure);
        Raise(Disconnected, reason);
        return reason;
    }

    /// <summary>Sends Logout and waits (bounded) for the server to close the connection.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (_connection is null || _connection.IsClosing)
        {
            return;
        }

        _connection.Send(ChatCommand.Logout, string.Empty, EmptyPacket.Instance);
        try
        {
            await Completion.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _connection.Abort(DisconnectReason.Local("logout not acknowledged"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        ChatConnection? connection;
        lock (_lifeLock)
        {
            _disposed = true;
            connection = _connection;
        }

        _disposing.Cancel();
        StopKeepAlive();
        if (connection is not null)
        {
            connection.Abort(DisconnectReason.Local("client disposed"));
            if (_run is { } run)
            {
                await run.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Connect and login on a disposed client say so, whatever state the client was in before.</summary>
    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(ChatClient), "this client was disposed; create a new one to connect again");
        }
    }

    public override string ToString() => $"{UserName ?? "(anonymous)"}@{_connection?.Label ?? "unconnected"}";
}
