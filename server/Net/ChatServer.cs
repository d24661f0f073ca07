using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.History;
using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;
using LanTalk.Server.Users;
using NLog;

namespace LanTalk.Server.Net;

/// <summary>
/// The chat server: accepts connections, runs one <see cref="Session"/> per socket, and routes messages between
/// authenticated users through the room registry and router (server/Rooms). Split by concern: accepting (.Accept),
/// the roster wiring (.Roster), notices (.Routing),
/// timeouts (.Sweep) and shutdown (.Stop).
/// </summary>
public sealed partial class ChatServer : IAsyncDisposable
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server");

    private readonly ConcurrentDictionary<long, Session> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private Timer? _sweep;

    // Wraps each accepted socket's stream before the protocol starts (TLS), or null for plaintext.
    private readonly Func<NetworkStream, CancellationToken, ValueTask<Stream>>? _wrapStream;

    /// <param name="settings">Validated settings.</param>
    /// <param name="users">The account store.</param>
    /// <param name="certificate">Required when <see cref="ServerSettings.TlsMode"/> is Required.</param>
    /// <param name="history">The message store when history is on; null: ids from a counter, nothing stored, no offline queue.</param>
    /// <param name="roomHistory">Replay, History/Search and offline delivery; null: <see cref="StoreRoomHistory"/> on <paramref name="history"/>, or none (<see cref="NoRoomHistory"/>) when history is off.</param>
    /// <param name="roomsFile">Where rooms persist (Rooms.xml in the data directory); null keeps them in memory only.</param>
    /// <exception cref="InvalidDataException">The rooms file is malformed; the message names the file, line and fix.</exception>
    public ChatServer(ServerSettings settings, UserStore users, ServerCertificate? certificate = null, MessageStore? history = null,
        IRoomHistory? roomHistory = null, string? roomsFile = null)
    {
        // Done by the start-up's LogSetup too; here as well so a server hosted otherwise (the tests) never logs what
        // clients send unescaped.
        Logging.LogText.Install();
        if (settings.TlsMode == TlsMode.Required)
        {
            var tls = new TlsListenerLayer(
                certificate ?? throw new ArgumentException("TlsMode is Required but no certificate was given", nameof(certificate)),
                TimeSpan.FromSeconds(settings.LoginTimeoutSeconds));
            _wrapStream = tls.WrapAsync;
        }

        Settings = settings;
        Users = users;
        Limits = settings.Limits;
        ConnectionOptions = settings.ConnectionOptions;
        // PBKDF2 is deliberately slow; at most one check per core runs at once so hashing cannot starve message routing.
        HashSlots = new SemaphoreSlim(Environment.ProcessorCount);
        HashWork = new HashWorkers(Environment.ProcessorCount);
        _certificate = certificate;
        Throttle = new LoginThrottle(settings.LoginFailureLimit, TimeSpan.FromSeconds(settings.LoginFailureWindowSeconds));
        Registrations = new RegistrationThrottle(settings.RegistrationsPerAddress, settings.RegistrationsPerServer, TimeSpan.FromSeconds(settings.RegistrationWindowSeconds));
        _pendingBudgetAlarm = new PendingBudgetAlarm(() => Settings.MaxPendingLogins, _pending.Holders, TimeProvider.System);
        // Guests (IRC, AllowGuests) have no account but can be messaged while they are online.
        string? FindAccount(string name) => users.Find(name)?.Name ?? FindGuest(name);
        Rooms = new RoomRegistry(() => Settings, FindAccount, roomsFile is null ? null : new RoomsFile(roomsFile), history is null ? null : () => history.LastId,
            user => users.Find(user)?.IdentityMs ?? 0, accountsKnown: File.Exists(users.FilePath),
            // Only queues the removal (the writer does it in batches), so it is fine under the registry lock.
            forgetHistory: history is null ? null : history.TryForgetRoomAsync)
        {
            Watch = Monitors,
        };
        IMessageLog log = history is null ? new CounterMessageLog(0) : history;
        // With history on, replay, History/Search and offline delivery come from the same store the router appends to.
        RoomHistory = roomHistory ?? (history is null ? NoRoomHistory.Instance : new StoreRoomHistory(history, () => Settings, user => Rooms.SessionsOf(user), room => Rooms.HistoryFromOf(room),
            user => users.Find(user)?.Created.ToUnixTimeMilliseconds() ?? 0, user => users.Find(user) is not null));
        Router = new MessageRouter(Rooms, log, offlineQueue: history is not null, FindAccount, RoomHistory.DeliverOffline);
        if (history is not null)
        {
            users.CreatedAfterHistory = history.AfterNewestMessage;
            // What waited for a removed account is never delivered to a new account of the same name.
            users.UsersRemoved += names =>
            {
                foreach (var name in names)
                {
                    _ = history.ForgetPendingForAsync(name, users.Find(name)?.Created.ToUnixTimeMilliseconds() ?? long.MaxValue).ContinueWith(
                        static t => s_log.Warn("The stored messages of a removed account could not be dropped now ({Error}); they are never delivered", t.Exception?.InnerException?.Message),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            };

            // And for an account removed while no server watched (stopped, or killed before its poll saw the removal):
            // only with Users.xml there, since a missing file says nothing about who was removed (the rooms' rule too).
            // Waited for here, so it is done before anyone can log in rather than whenever the writer gets to it. Usually
            // one read of the small offline table and no write (MessageStore.ForgetPendingOfRemovedAsync).
            if (File.Exists(users.FilePath))
            {
                ForgetQueuesOfRemovedAsync(history, users).GetAwaiter().GetResult();
            }
        }

        users.UsersRemoved += OnUsersRemoved;
        users.UsersCreated += OnUsersCreated;
    }

    /// <summary>At start: drops what waited for accounts removed while no server ran, and says so (MessageStore.ForgetPendingOfRemovedAsync).</summary>
    private static async Task ForgetQueuesOfRemovedAsync(MessageStore history, UserStore users)
    {
        try
        {
            var dropped = await history.ForgetPendingOfRemovedAsync(name => users.Find(name)?.Created.ToUnixTimeMilliseconds()).ConfigureAwait(false);
            foreach (var (recipient, removed) in dropped)
            {
                s_log.Info("History: {Count} stored message(s) for '{User}' dropped: they waited for an account of that name that was removed while the server "
                    + "was not running; the senders keep them in their history", removed, recipient);
            }
        }
        catch (Exception ex) when (ex is HistoryUnavailableException or ObjectDisposedException or Microsoft.Data.Sqlite.SqliteException)
        {
            s_log.Warn("The stored messages of accounts removed while the server was not running could not be dropped now ({Error}); they are never delivered", ex.Message);
        }
    }

    /// <summary>Rooms, membership and who is online, with presence batching.</summary>
    internal RoomRegistry Rooms { get; }

    /// <summary>The registry as sessions see it: room and user commands only.</summary>
    internal IRoomRegistry RoomCommands => Rooms;

    internal IRouter Router { get; }

    internal IRoomHistory RoomHistory { get; }

    /// <summary>Replaced whole (one reference write) when a reload applies the settings that can change live.</summary>
    public ServerSettings Settings { get; private set; }

    public UserStore Users { get; }

    /// <summary>Applies settings that are read per use (see ConfigReload); the rest keep their start-up values.</summary>
    internal void ApplySettings(ServerSettings settings) => Settings = settings;

    internal ProtocolLimits Limits { get; }

    internal ChatConnectionOptions ConnectionOptions { get; }

    internal SemaphoreSlim HashSlots { get; }

    /// <summary>Where the password hashing of logins and registrations runs, at a lower priority than chat (<see cref="HashWorkers"/>).</summary>
    internal HashWorkers HashWork { get; }

    internal LoginThrottle Throttle { get; }

    /// <summary>How many accounts Register may still create, per address and in all (docs/PROTOCOL.md, "Registrations").</summary>
    internal RegistrationThrottle Registrations { get; }

    /// <summary>Raised once per login attempt that reached the password check, with its outcome. Tests wait on it.</summary>
    internal event Action<Session, LoginOutcome>? LoginSettled;

    /// <summary>Raised when a session has ended and left every table. Tests wait on it.</summary>
    internal event Action<Session>? SessionEnded;

    internal void OnLoginSettled(Session session, LoginOutcome outcome) => LoginSettled?.Invoke(session, outcome);

    /// <summary>Tests only: a request answered from history waits until the session has read its earlier answers.</summary>
    internal event Action<Session>? AnswerHeld;

    internal void OnAnswerHeld(Session session) => AnswerHeld?.Invoke(session);

    /// <summary>The bound address; with Port 0 this tells the real port.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    internal static Logger Log => s_log;

    /// <summary>Binds and starts accepting. Throws <see cref="PortInUseException"/> when the port is taken.</summary>
    public Task StartAsync()
    {
        var listener = new Socket(Settings.ListenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (Settings.ListenAddress.Equals(IPAddress.IPv6Any))
        {
            try
            {
                listener.DualMode = true;
            }
            catch (SocketException ex)
            {
                // Best effort like the other socket options: the IPv6 side still works, so say what is missing and go on.
                s_log.Warn("Listening on :: cannot also take IPv4 clients here ({Error}); set <ListenAddress>0.0.0.0</ListenAddress> for IPv4", ex.Message);
            }
        }

        try
        {
            listener.Bind(new IPEndPoint(Settings.ListenAddress, Settings.Port));
            listener.Listen(Settings.ListenBacklog);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            throw new PortInUseException(
                $"port {Settings.Port} is already in use on {Settings.ListenAddress} (is another lantalk-server running?). Stop that program, or choose another port with <Port> in Settings.xml or --port.",
                ex);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        try
        {
            StartIrc(_certificate);
        }
        catch
        {
            listener.Dispose();
            foreach (var irc in _ircListeners)
            {
                irc.Dispose();
            }

            throw;
        }

        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, RunSessionAsync));
        _sweepPause.Started(Environment.TickCount64);
        _sweep = new Timer(_ => SweepTimeouts(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        StartPresence();
        Users.StartWatching();
        s_log.Info("Listening on {Endpoint} (MaxClients {MaxClients}, TLS {Tls})", LocalEndPoint, Settings.MaxClients, Settings.TlsMode);
        return Task.CompletedTask;
    }

    /// <summary>Connections currently open, logged in or not.</summary>
    public int ConnectionCount => _sessions.Count + _ircSessions.Count;

    public override string ToString() => _listener is null ? "ChatServer (stopped)" : $"ChatServer {LocalEndPoint}";
}
