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

    private TestServer(ChatServer server, UserStore users, TempDirectory data)
    {
        Server = server;
        _users = users;
        _data = data;
    }

    public ChatServer Server { get; }

    public int Port => Server.LocalEndPoint.Port;

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
    public static async Task<TestServer> StartAsync(int? pingIntervalSeconds, params string[] users)
    {
        var settings = new ServerSettings
        {
            PingIntervalSeconds = pingIntervalSeconds ?? ServerSettings.Default.PingIntervalSeconds,
            IdleTimeoutSeconds = pingIntervalSeconds is { } ping ? ping * 3 : ServerSettings.Default.IdleTimeoutSeconds,
            ListenAddress = IPAddress.Loopback,
            Port = 0,
            // TLS as in production: the client tests trust the generated certificate by its fingerprint.
            TlsMode = TlsMode.Required,
        };
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
        return new TestServer(server, store, data) { Fingerprint = certificate.Fingerprint };
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(TimeSpan.FromMilliseconds(200));
        _users.Dispose();
        _data.Dispose();
    }
}
