using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Client.Connection;

/// <summary>
/// A logged-in conversation with one server that outlives single connections: when the connection drops it logs
/// in again (see ChatSession.Reconnect.cs) with the credentials it holds in memory. The password lives only here,
/// never on disk.
/// </summary>
internal sealed partial class ChatSession : IAsyncDisposable
{
    private readonly ServerConnector _connector;
    private readonly string _password;
    private readonly ReconnectPolicy _policy;
    private readonly ISessionListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<FailureReport?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private ChatClient? _client;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _userName;

    public ChatSession(ServerConnector connector, string user, string password, ReconnectPolicy policy, ISessionListener listener)
    {
        _connector = connector;
        _userName = user;
        _password = password;
        _policy = policy;
        _listener = listener;
    }

    public ServerAddress Server => _connector.Server;

    /// <summary>The name as typed, until the server's welcome gives its canonical spelling.</summary>
    public string UserName => _userName;

    public bool IsConnected => Current is { IsAuthenticated: true };

    /// <summary>The current connection's session id from Welcome (0 before a login): this window in /who.</summary>
    public ulong SessionId => Current?.SessionId ?? 0;

    /// <summary>The server's limit on message text, from its Hello.</summary>
    public int MaxMessageBytes => Current?.ServerHello?.MaxMessageBytes ?? ProtocolLimits.Default.MaxMessageBytes;

    public string ServerName => Current?.ServerHello?.ServerName ?? Server.Host;

    public IReadOnlyList<OnlineUser> OnlineUsers => Current?.OnlineUsers ?? [];

    /// <summary>Completes when the session is over for good: null after a logout, otherwise why it failed.</summary>
    public Task<FailureReport?> Ended => _ended.Task;

    private ChatClient? Current
    {
        get
        {
            lock (_lock)
            {
                return _client;
            }
        }
    }

    /// <summary>The server's sustained message rate (ServerHello), or the reference default from an older server.</summary>
    public double MessageRatePerSecond => Current?.ServerHello?.MessageRatePerSecond ?? DefaultMessageRate;

    /// <summary>The server's message burst (ServerHello), or the reference default from an older server.</summary>
    public int MessageBurst => Current?.ServerHello is { MessageBurst: > 0 } hello ? hello.MessageBurst : DefaultMessageBurst;

    /// <summary>Counts logins; a new one means a new server session, whose rate budget starts full again.</summary>
    public int LoginCount { get; private set; }

    // PROTOCOL.md: a server that does not announce its rate is assumed to use the reference defaults.
    private const double DefaultMessageRate = 20;
    private const int DefaultMessageBurst = 60;

    /// <summary>First connect and login. Throws <see cref="ChatClientException"/>; the first attempt is never retried.</summary>
    public Task<WelcomePacket> StartAsync(CancellationToken cancellationToken) => StartAsync(null, cancellationToken);

    /// <summary>
    /// Logs in on <paramref name="connected"/>, a connection opened (and its server trusted) before the password
    /// was asked. If the server dropped it meanwhile (its login timeout ran out while the user typed), one
    /// fresh connection is made. Throws <see cref="ChatClientException"/>.
    /// </summary>
    public async Task<WelcomePacket> StartAsync(ChatClient? connected, CancellationToken cancellationToken)
    {
        if (connected is not null)
        {
            if (connected.IsConnected)
            {
                try
                {
                    Attach(connected);
                    var first = await connected.LoginAsync(_userName, _password, cancellationToken).ConfigureAwait(false);
                    Adopt(connected, first);
                    return first;
                }
                catch (ChatClientException ex) when (ex.Code == ErrorCode.LoginTimeout || !connected.IsConnected)
                {
                    // Fall through to a fresh connection.
                }
                catch
                {
                    await connected.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }

            await connected.DisposeAsync().ConfigureAwait(false);
        }

        var (client, welcome) = await _connector.ConnectAndLoginAsync(_userName, _password, Attach, cancellationToken).ConfigureAwait(false);
        Adopt(client, welcome);
        return welcome;
    }

    /// <summary>
    /// Sends and waits for the server's echo: privately when <paramref name="to"/> is set, else to
    /// <paramref name="room"/> (v3), else to the default room. Throws <see cref="ChatClientException"/> while reconnecting.
    /// </summary>
    public Task<ChatMessage> SendAsync(string? to, string text, CancellationToken cancellationToken, string? room = null, bool action = false)
    {
        var client = ConnectedClient();
        if (to is not null)
        {
            return client.SendPrivateAsync(to, text, cancellationToken);
        }

        return room is not null && client.IsV3 ? client.SendRoomAsync(room, text, action ? ChatMessageKind.Action : ChatMessageKind.Text, cancellationToken) : client.SendPublicAsync(text, cancellationToken);
    }

    public Task<IReadOnlyList<OnlineUser>> RequestUsersAsync(CancellationToken cancellationToken) =>
        ConnectedClient().RequestUsersAsync(cancellationToken);

    /// <summary>Waits until logged in (again). False when the session ended instead.</summary>
    public async Task<bool> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        Task connected;
        lock (_lock)
        {
            connected = _connected.Task;
        }

        await Task.WhenAny(connected, _ended.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        return connected.IsCompleted && !_ended.Task.IsCompleted;
    }

    /// <summary>
    /// How long leaving waits for the server's answer to the goodbye. The answer confirms nothing the user needs (the
    /// lines on their way had their own grace; the server ends the session when the connection closes), and a stalled
    /// server (a paused machine) held /quit silent for the whole request timeout, 15 s (a UX audit, 2026-12-07).
    /// </summary>
    public static readonly TimeSpan LogoutWait = TimeSpan.FromSeconds(2);

    /// <summary>Logs out politely (bounded wait), stops reconnecting, and ends the session.</summary>
    public async Task LogoutAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var client = Detach();
        if (client is not null)
        {
            using var bound = new CancellationTokenSource(LogoutWait);
            try
            {
                await client.LogoutAsync(bound.Token).ConfigureAwait(false);
            }
            catch (ChatClientException)
            {
                // Already gone: nothing to say goodbye to.
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                // No answer in time: the dispose below closes the connection, which ends the session on the server too.
            }

            await client.DisposeAsync().ConfigureAwait(false);
        }

        _ended.TrySetResult(null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (Detach() is { } client)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        // _stopping is not disposed: a reconnect loop that is just finishing may still read its token.
        _ended.TrySetResult(null);
    }

    private ChatClient ConnectedClient() => Current is { IsConnected: true } client
        ? client
        : throw new ChatClientException(ChatFailure.ConnectionLost, "not connected to the server right now");

    private ChatClient? Detach()
    {
        lock (_lock)
        {
            var client = _client;
            _client = null;
            return client;
        }
    }

    // Handlers go on before login, so nothing sent right after the welcome is missed.
    private void Attach(ChatClient client)
    {
        client.MessageReceived += (_, message) => _listener.OnMessage(message);
        client.UserJoined += (c, presence) => OnPresence(c, presence, joined: true);
        client.UserLeft += (c, presence) => OnPresence(c, presence, joined: false);
        client.NoticeReceived += (_, notice) => _listener.OnNotice(notice);
        client.ErrorReceived += (_, error) => _listener.OnServerError(error);
        client.Disconnected += OnDisconnected;
        client.RoomJoined += (c, join) =>
        {
            _listener.OnRoomJoined(join);
            Sync?.OnRoomJoined(c, join);
        };
        client.RoomChanged += (_, room) => _listener.OnRoomChanged(room);
        client.MembersChanged += (_, room, users, joined, why) => _listener.OnMembersChanged(room, users, joined, why);
        client.RoomLeft += (_, room, left) => _listener.OnRoomLeft(room, left);
        client.TopicChanged += (_, room, topic) => _listener.OnTopic(room, topic);
        client.AwayReceived += (_, away, reply) => _listener.OnAway(away, reply);
        client.Invited += (_, room, invitation) => _listener.OnInvited(room, invitation);
        client.ReceiptReceived += (_, receipt) => _listener.OnReceipt(receipt);
        client.HistoryEnded += (_, room, end) => _listener.OnHistoryEnded(room, end);
        // A bug of ours in one of the handlers above: shown, not dropped, and the session reads on (ChatClient's rule).
        client.HandlerFailed += (_, name, ex) => _listener.OnStatus($"internal error while showing {name}: {ex.GetType().Name}: {ex.Message}", StatusLevel.Error);
    }

    // v3 has rooms: a user coming online is not "joining" anything, and room joins have their own event.
    private void OnPresence(ChatClient client, PresencePacket presence, bool joined)
    {
        switch (BackFromTheSameLoss(presence.UserName, joined))
        {
            case ReturnAfterLoss.Quiet:
                // Online before the connection was lost, and listed by the reconnect's online line: no news to this
                // user, who never saw them go. After every server restart each window printed "* X is online" for everyone (a UX audit).
                return;
            case ReturnAfterLoss.Back:
                // Named "not back yet" by the reconnect's online line: one short line, no "went offline" before it.
                _listener.OnBack(presence);
                return;
            case ReturnAfterLoss.Hold:
                HoldOffline(client, presence);
                return;
        }

        Tell(client, presence, joined);
    }

    private void Tell(ChatClient client, PresencePacket presence, bool joined)
    {
        if (client.IsV3 && !joined && !SharesRoom(client, presence.UserName))
        {
            // Not in any room of ours any more: a member who goes offline stays a member (only MemberLeft removes
            // one), so this UserDisconnected is the end of a shared room, not a logout. "went offline" was shown for
            // users who were still online after a /part (an IRC audit, 2026-12-04).
            _listener.OnOutOfSight(presence);
        }
        else if (client.IsV3)
        {
            _listener.OnOnline(presence, joined);
        }
        else
        {
            _listener.OnPresence(presence, joined);
        }
    }

    private static bool SharesRoom(ChatClient client, string user) =>
        client.Rooms.Any(room => room.Members.Any(m => string.Equals(m.Name, user, StringComparison.OrdinalIgnoreCase)));

    private void Adopt(ChatClient client, WelcomePacket welcome)
    {
        lock (_lock)
        {
            _client = client;
            _userName = welcome.UserName;
            LoginCount++;
            _connected.TrySetResult();
        }

        _serverClock?.NoteServerTime(welcome.ServerTimeMs);
        Sync?.OnLoggedIn(client, LoginCount == 1);
        PrivateSync?.OnLoggedIn(client, LoginCount == 1);
        AwaySync?.OnLoggedIn(client, LoginCount == 1);

        // The connection may have dropped between the welcome and now; its Disconnected event was ignored then.
        if (client.Completion.IsCompletedSuccessfully)
        {
            OnDisconnected(client, client.Completion.Result);
        }
    }
}
