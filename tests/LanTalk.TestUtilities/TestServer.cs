using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Core.Security;
using LanTalk.Server.History;
using LanTalk.Server.Net;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;
using LanTalk.Server.Users;

namespace LanTalk.TestUtilities;

/// <summary>
/// A real ChatServer in process on 127.0.0.1, port 0, over a temp data directory that is deleted afterwards.
/// <see cref="StartAsync(Func{ServerSettings, ServerSettings}?, string[])"/> is plaintext (protocol tests);
/// <see cref="StartTlsAsync(string[])"/> requires TLS as production does (client tests trust it by fingerprint).
/// A test fails at dispose if the server logged an ERROR or FATAL line or a task exception went unobserved,
/// unless it called <see cref="ExpectErrors"/>.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    // Test accounts use a cheap hash so a test measures behaviour, not PBKDF2.
    public const int TestIterations = 1000;
    public const string Password = "correct horse";

    private readonly TempDirectory _data;
    private readonly int _logId;
    private readonly List<string> _expectedErrors = [];
    private bool _anyErrorExpected;
    private readonly ServerCertificate? _certificate;
    private ServerSettings _settings;
    private MessageStore? _history;
    private readonly bool _historyOn;

    private TestServer(int logId, ChatServer server, UserStore users, TempDirectory data, ServerSettings settings, ServerCertificate? certificate, MessageStore? history = null)
    {
        _history = history;
        _historyOn = history is not null;
        _logId = logId;
        Server = server;
        Users = users;
        _data = data;
        _settings = settings;
        _certificate = certificate;
        Port = server.LocalEndPoint.Port;
    }

    public ChatServer Server { get; private set; }

    public UserStore Users { get; }

    public string DataDirectory => _data.Path;

    /// <summary>history.db in the data directory, opened on first use (most tests never touch it).</summary>
    public MessageStore History
    {
        get
        {
            if (_history is null)
            {
                using var scope = ServerLogCapture.Scope(_logId);
                _history = MessageStore.Open(DataDirectory, Server.Settings);
            }

            return _history;
        }
    }

    /// <summary>The port, which stays the same across <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The IRC gateway's port; the server must have been started with IrcPort 0 (see <see cref="StartIrcAsync"/>).</summary>
    public int IrcPort => Server.IrcEndPoint?.Port ?? throw new InvalidOperationException("the IRC gateway is off; start with StartIrcAsync");

    /// <summary>A plaintext server with the IRC gateway on a free port; <paramref name="configure"/> may turn guests on.</summary>
    public static Task<TestServer> StartIrcAsync(Func<ServerSettings, ServerSettings>? configure = null, params string[] users) =>
        StartAsync(s => (configure ?? (x => x))(s with { IrcPort = 0 }), users);

    /// <summary>SHA-256 of the server's certificate, as --trust takes it; empty for a plaintext server.</summary>
    public string Fingerprint => _certificate?.Fingerprint ?? string.Empty;

    /// <summary>Options for a plain <see cref="ChatClient"/> that trusts this (TLS) server.</summary>
    public ChatClientOptions ClientOptions => new()
    {
        WrapStream = TlsClientLayer.Create((_, fingerprint) => fingerprint == Fingerprint),
    };

    public static Task<TestServer> StartAsync(Func<ServerSettings, ServerSettings>? configure = null, params string[] users) =>
        StartAsync(configure, ChatServer.DefaultPresenceInterval, users);

    /// <summary>A server whose presence batches are <paramref name="presenceInterval"/> apart.</summary>
    public static Task<TestServer> StartAsync(Func<ServerSettings, ServerSettings>? configure, TimeSpan presenceInterval, params string[] users) =>
        StartAsync(configure, presenceInterval, history: false, users);

    /// <summary>
    /// A server with history on, as production runs it: history.db in the data directory is its message log
    /// (append before fan-out, offline queue); <see cref="History"/> is that store.
    /// </summary>
    public static Task<TestServer> StartWithHistoryAsync(Func<ServerSettings, ServerSettings>? configure = null, params string[] users) =>
        StartAsync(configure, ChatServer.DefaultPresenceInterval, history: true, users);

    /// <summary>
    /// A server on a data directory prepared beforehand (Users.xml as an older release left it, for example); the
    /// server owns <paramref name="data"/> from here on and deletes it when disposed.
    /// </summary>
    public static Task<TestServer> StartOnAsync(TempDirectory data, Func<ServerSettings, ServerSettings>? configure = null) =>
        StartAsync(configure, ChatServer.DefaultPresenceInterval, history: false, [], data);

    private static async Task<TestServer> StartAsync(Func<ServerSettings, ServerSettings>? configure, TimeSpan presenceInterval, bool history, string[] users, TempDirectory? prepared = null)
    {
        var settings = new ServerSettings
        {
            ListenAddress = IPAddress.Loopback,
            Port = 0,
            TlsMode = TlsMode.Off,
            PasswordIterations = TestIterations,
            MaxConnectionsPerAddress = 1000,
            // Every test client comes from 127.0.0.1; the per-address login budget has its own tests.
            MaxPendingLoginsPerAddress = 1000,
            // Likewise every Register; the registration limits have their own tests.
            RegistrationsPerAddress = 1000,
            RegistrationsPerServer = 1000,
        };
        settings = configure?.Invoke(settings) ?? settings;
        int logId = ServerLogCapture.Register();
        using var scope = ServerLogCapture.Scope(logId);
        var data = prepared ?? new TempDirectory();
        var store = UserStore.Open(data.Path, settings);
        if (users.Length > 0)
        {
            store.AddMany(users.Select(u => (u, Password)), TestIterations);
        }

        var certificate = settings.TlsMode == TlsMode.Required ? ServerCertificate.LoadOrCreate(settings, data.Path) : null;
        var messages = history ? MessageStore.Open(data.Path, settings) : null;
        var server = new ChatServer(settings, store, certificate, messages, roomsFile: RoomsFilePath(data.Path)) { PresenceInterval = presenceInterval };
        await server.StartAsync();
        return new TestServer(logId, server, store, data, settings, certificate, messages);
    }

    public static Task<TestServer> StartTlsAsync(params string[] users) => StartTlsAsync(pingIntervalSeconds: null, users);

    /// <summary>A short ping interval makes the client notice a dead connection within seconds.</summary>
    public static Task<TestServer> StartTlsAsync(int? pingIntervalSeconds, params string[] users) => StartTlsAsync(pingIntervalSeconds, s => s, users);

    /// <summary><paramref name="configure"/> changes the settings, e.g. to allow registration.</summary>
    public static Task<TestServer> StartTlsAsync(int? pingIntervalSeconds, Func<ServerSettings, ServerSettings> configure, params string[] users) =>
        StartAsync(
            s => configure(s with
            {
                PingIntervalSeconds = pingIntervalSeconds ?? ServerSettings.Default.PingIntervalSeconds,
                IdleTimeoutSeconds = pingIntervalSeconds is { } ping ? ping * 3 : ServerSettings.Default.IdleTimeoutSeconds,
                TlsMode = TlsMode.Required,
            }),
            users);

    /// <summary>
    /// The test provokes server errors on purpose: ERROR/FATAL lines containing one of <paramref name="containing"/>
    /// (ordinal) do not fail it; with none given, no error line does. Unobserved task exceptions always fail.
    /// </summary>
    public void ExpectErrors(params string[] containing)
    {
        lock (_expectedErrors)
        {
            _anyErrorExpected |= containing.Length == 0;
            _expectedErrors.AddRange(containing);
        }
    }

    /// <summary>The ERROR and FATAL lines this server logged so far (a test that provokes one reads what it says).</summary>
    public IReadOnlyList<string> LoggedErrors => ServerLogCapture.Peek(_logId);

    public async Task<ChatClient> ConnectAsync(ChatClientOptions? options = null)
    {
        var client = new ChatClient(options ?? new ChatClientOptions { ConnectTimeout = TimeSpan.FromSeconds(5), RequestTimeout = TimeSpan.FromSeconds(5) });
        await client.ConnectAsync("127.0.0.1", Port);
        return client;
    }

    public async Task<ChatClient> LoginAsync(string user, ChatClientOptions? options = null)
    {
        var client = await ConnectAsync(options);
        await client.LoginAsync(user, Password);
        return client;
    }

    /// <summary>Connects and logs in, with a probe attached before the login so no event is missed.</summary>
    public async Task<ClientProbe> LoginProbeAsync(string user, ChatClientOptions? options = null)
    {
        var probe = new ClientProbe(await ConnectAsync(options));
        await probe.Client.LoginAsync(user, Password);
        return probe;
    }

    /// <summary>A bare socket client; <paramref name="configure"/> runs before connecting.</summary>
    public Task<RawClient> ConnectRawAsync(Action<Socket>? configure = null) => RawClient.ConnectAsync(Port, configure);

    /// <summary>A bare socket client that has done Hello and logged in.</summary>
    public async Task<RawClient> LoginRawAsync(string user, Action<Socket>? configure = null)
    {
        var raw = await ConnectRawAsync(configure);
        await raw.LoginAsync(user);
        return raw;
    }

    /// <summary>Stops the server as a reboot would: every client sees ShuttingDown, then nothing listens on the port.</summary>
    public async Task StopAsync()
    {
        using var scope = ServerLogCapture.Scope(_logId);
        await Server.StopAsync(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Starts the server again on the same port, with the same accounts and certificate (so clients still trust it).</summary>
    /// <param name="configure">Settings to change for the restarted server (limits fixed at construction, such as the queues).</param>
    public async Task RestartAsync(Func<ServerSettings, ServerSettings>? configure = null)
    {
        using var scope = ServerLogCapture.Scope(_logId);
        _settings = (configure?.Invoke(_settings) ?? _settings) with { Port = Port };
        Server = new ChatServer(_settings, Users, _certificate, _historyOn ? History : null, roomsFile: RoomsFilePath(DataDirectory));
        await Server.StartAsync();
    }

    /// <summary>Rooms.xml in the data directory, where the server keeps rooms and membership across restarts.</summary>
    public static string RoomsFilePath(string dataDirectory) => Path.Combine(dataDirectory, "Rooms.xml");

    public async ValueTask DisposeAsync()
    {
        using (ServerLogCapture.Scope(_logId))
        {
            await Server.StopAsync(TimeSpan.FromMilliseconds(200));
            Users.Dispose();
            if (_history is not null)
            {
                await _history.DisposeAsync();
            }
        }

        _data.Dispose();
        CheckLog();
    }

    private void CheckLog()
    {
        var errors = ServerLogCapture.Unregister(_logId);
        List<string> unexpected;
        lock (_expectedErrors)
        {
            unexpected = _anyErrorExpected ? [] : errors.Where(e => !_expectedErrors.Any(x => e.Contains(x, StringComparison.Ordinal))).ToList();
        }

        var unobserved = ServerLogCapture.TakeUnobservedTaskExceptions();
        if (unexpected.Count > 0 || unobserved.Count > 0)
        {
            throw new AssertionException(
                "the server logged errors the test did not expect (call ExpectErrors if it provokes them):" + Environment.NewLine
                + string.Join(Environment.NewLine, unexpected.Concat(unobserved.Select(ex => "unobserved task exception: " + ex))));
        }
    }
}
