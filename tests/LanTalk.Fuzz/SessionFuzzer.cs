using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Net;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Fuzz;

/// <summary>
/// Sends mutated frame sequences to a real in-process server over loopback, from each protocol state, and then
/// checks that the server is still healthy: a fresh client logs in and chats, no session hit an internal error,
/// and no connection slot leaks.
/// </summary>
internal sealed class SessionFuzzer : IAsyncDisposable
{
    private const string Password = "fuzz";
    private readonly ChatServer _server;
    private readonly UserStore _users;
    private readonly string _dataDirectory;

    private SessionFuzzer(ChatServer server, UserStore users, string dataDirectory)
    {
        _server = server;
        _users = users;
        _dataDirectory = dataDirectory;
    }

    public static async Task<SessionFuzzer> StartAsync()
    {
        string data = Directory.CreateTempSubdirectory("lantalk-fuzz-").FullName;
        var settings = new ServerSettings
        {
            ListenAddress = IPAddress.Loopback,
            Port = 0,
            TlsMode = TlsMode.Off,
            MaxClients = 1000,
            MaxConnectionsPerAddress = 1000,
            MaxPendingLogins = 1000,
            MaxPendingLoginsPerAddress = 1000,
            LoginTimeoutSeconds = 2,
            LoginFailureLimit = 1_000_000,
            MessageRatePerSecond = 100_000,
            MessageBurst = 100_000,
        };
        var users = UserStore.Open(data, settings);
        users.AddMany(Enumerable.Range(0, 4).Select(i => ($"fuzz{i}", Password)), iterations: 1);
        var server = new ChatServer(settings, users);
        await server.StartAsync();
        return new SessionFuzzer(server, users, data);
    }

    /// <summary>Runs one case: an optional valid prefix that reaches a state, then the mutated bytes.</summary>
    public async Task RunCaseAsync(int state, byte[] mutated, int caseNumber)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _server.LocalEndPoint.Port);
        var prefix = new List<byte>();
        if (state >= 1)
        {
            prefix.AddRange(FrameCodec.Serialize(ChatCommand.Hello, string.Empty, new ClientHelloPacket(ProtocolLimits.CurrentVersion, "fuzz")));
        }

        if (state >= 2)
        {
            // Distinct users per concurrent case, so AlreadyLoggedIn does not mask the states under test.
            prefix.AddRange(FrameCodec.Serialize(ChatCommand.RequestLogin, string.Empty, new LoginPacket($"fuzz{caseNumber % 4}", Password)));
        }

        try
        {
            await socket.SendAsync(prefix.ToArray());
            await socket.SendAsync(mutated);
            socket.Shutdown(SocketShutdown.Send);
            // The server must close its side: after an Error frame, or at our EOF.
            var sink = new byte[4096];
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await socket.ReceiveAsync(sink, deadline.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset is an acceptable way for the server to end a hostile session.
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("the server kept a hostile connection open for 10 s after the client's EOF");
        }
    }

    /// <summary>Null when healthy; otherwise what is wrong.</summary>
    public async Task<string?> CheckHealthAsync()
    {
        if (_server.InternalErrorCount > 0)
        {
            return $"{_server.InternalErrorCount} sessions ended with an internal error (see the log)";
        }

        await using var client = new ChatClient(new ChatClientOptions { ConnectTimeout = TimeSpan.FromSeconds(5), RequestTimeout = TimeSpan.FromSeconds(5) });
        try
        {
            await client.ConnectAsync("127.0.0.1", _server.LocalEndPoint.Port);
            await client.LoginAsync("fuzz3", Password);
            await client.SendPublicAsync("still alive");
            await client.LogoutAsync();
        }
        catch (ChatClientException ex) when (ex.Failure == ChatFailure.AlreadyLoggedIn)
        {
            // A fuzz case still holds fuzz3; that is not a fault.
        }
        catch (ChatClientException ex)
        {
            return $"a fresh client could not chat afterwards: {ex.Failure}: {ex.Message}";
        }

        return null;
    }

    public int OpenConnections => _server.ConnectionCount;

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _users.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
