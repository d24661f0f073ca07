using System.Net;
using LanTalk.Core.Client;
using LanTalk.Core.Security;
using LanTalk.Server.Net;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;
using LanTalk.Server.Users;

namespace LanTalk.Client.Tests.Support;

/// <summary>The real LanTalk server, in process, on 127.0.0.1 and a free port, with a few accounts.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Password = "secret";

    private readonly TempDirectory _data;
    private readonly UserStore _users;

    private readonly ServerCertificate _certificate;
    private ServerSettings _settings;

    private TestServer(ChatServer server, UserStore users, TempDirectory data, ServerSettings settings, ServerCertificate certificate)
    {
        Server = server;
        _users = users;
        _data = data;
        _settings = settings;
        _certificate = certificate;
        Port = server.LocalEndPoint.Port;
    }

    public ChatServer Server { get; private set; }

    /// <summary>The port, which stays the same across <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>SHA-256 of the server's certificate, as --trust takes it.</summary>
    public string Fingerprint { get; private init; } = string.Empty;

    /// <summary>Options for a plain <see cref="ChatClient"/> that trusts this server.</summary>
    public ChatClientOptions ClientOptions => new()
    {
        WrapStream = TlsClientLayer.Create((_, fingerprint) => fingerprint == Fingerprint),
    };

    public static Task<TestServer> StartAsync(params string[] users) => StartAsync(pingIntervalSeconds: null, users);

    /// <summary>A short ping interval makes the client notice a dead connection within seconds.</summary>
    public static Task<TestServer> StartAsync(int? pingIntervalSeconds, params string[] users) => StartAsync(pingIntervalSeconds, s => s, users);

    /// <summary><paramref name="configure"/> changes the settings, e.g. to allow registration.</summary>
    public static async Task<TestServer> StartAsync(int? pingIntervalSeconds, Func<ServerSettings, ServerSettings> configure, params string[] users)
    {
        var settings = configure(new ServerSettings
        {
            PingIntervalSeconds = pingIntervalSeconds ?? ServerSettings.Default.PingIntervalSeconds,
            IdleTimeoutSeconds = pingIntervalSeconds is { } ping ? ping * 3 : ServerSettings.Default.IdleTimeoutSeconds,
            ListenAddress = IPAddress.Loopback,
            Port = 0,
            // TLS as in production: the client tests trust the generated certificate by its fingerprint.
            TlsMode = TlsMode.Required,
        });
        var data = new TempDirectory();
        var store = UserStore.Open(data.Path, settings);
        foreach (string user in users)
        {
            // Few PBKDF2 iterations: the tests exercise the client, not password hashing.
            store.Add(user, Password, iterations: 1000);
        }

        var certificate = ServerCertificate.LoadOrCreate(settings, data.Path);
        var server = new ChatServer(settings, store, certificate);
        await server.StartAsync();
        return new TestServer(server, store, data, settings, certificate) { Fingerprint = certificate.Fingerprint };
    }

    /// <summary>Stops the server as a reboot would: every client sees ShuttingDown, then nothing listens on the port.</summary>
    public Task StopAsync() => Server.StopAsync(TimeSpan.FromMilliseconds(200));

    /// <summary>Starts the server again on the same port, with the same accounts and certificate (so clients still trust it).</summary>
    public async Task RestartAsync()
    {
        _settings = _settings with { Port = Port };
        Server = new ChatServer(_settings, _users, _certificate);
        await Server.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(TimeSpan.FromMilliseconds(200));
        _users.Dispose();
        _data.Dispose();
    }
}
