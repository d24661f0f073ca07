using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Server.History;
using LanTalk.Server.Net;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>A real ChatServer on 127.0.0.1, port 0, over a temp data directory that is deleted afterwards.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    // Test accounts use a cheap hash so a test measures behaviour, not PBKDF2.
    public const int TestIterations = 1000;
    public const string Password = "correct horse";

    private MessageStore? _history;

    private TestServer(ChatServer server, UserStore users, string dataDirectory)
    {
        Server = server;
        Users = users;
        DataDirectory = dataDirectory;
    }

    public ChatServer Server { get; }

    public UserStore Users { get; }

    public string DataDirectory { get; }

    /// <summary>history.db in the data directory, opened on first use (most tests never touch it).</summary>
    public MessageStore History => _history ??= MessageStore.Open(DataDirectory, Server.Settings);

    public int Port => Server.LocalEndPoint.Port;

    public static Task<TestServer> StartAsync(Func<ServerSettings, ServerSettings>? configure = null, params string[] users) =>
        StartAsync(configure, ChatServer.DefaultPresenceInterval, users);

    /// <summary>A server whose presence batches are <paramref name="presenceInterval"/> apart.</summary>
    public static async Task<TestServer> StartAsync(Func<ServerSettings, ServerSettings>? configure, TimeSpan presenceInterval, params string[] users)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "lantalk-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var settings = new ServerSettings
        {
            ListenAddress = IPAddress.Loopback,
            Port = 0,
            TlsMode = TlsMode.Off,
            PasswordIterations = TestIterations,
            MaxConnectionsPerAddress = 1000,
            // Every test client comes from 127.0.0.1; the per-address login budget has its own tests.
            MaxPendingLoginsPerAddress = 1000,
        };
        settings = configure?.Invoke(settings) ?? settings;
        var store = UserStore.Open(dataDirectory, settings);
        if (users.Length > 0)
        {
            store.AddMany(users.Select(u => (u, Password)), TestIterations);
        }

        var certificate = settings.TlsMode == TlsMode.Required ? ServerCertificate.LoadOrCreate(settings, dataDirectory) : null;
        var server = new ChatServer(settings, store, certificate) { PresenceInterval = presenceInterval };
        await server.StartAsync();
        return new TestServer(server, store, dataDirectory);
    }

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

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        Users.Dispose();
        if (_history is not null)
        {
            await _history.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}
