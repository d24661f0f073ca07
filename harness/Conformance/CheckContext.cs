using System.Net;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Conformance;

/// <summary>
/// What a check gets: the server (and its settings when the harness spawned it), the transport, fresh accounts,
/// and one connect helper for each kind of peer: a raw byte-level one and a well-behaved <see cref="ChatClient"/>.
/// </summary>
internal sealed class CheckContext(ServerTarget target, SpawnedServer? spawned, ConformanceSettings settings, List<string>? notes = null)
{
    private int _nextUser;

    /// <summary>Measurements a passing check reports (timings, counts); printed after its PASS line.</summary>
    public List<string> Notes { get; } = notes ?? [];

    public void Note(string text)
    {
        lock (Notes)
        {
            Notes.Add(text);
        }
    }

    public ServerTarget Target { get; private set; } = target;

    public SpawnedServer? Spawned { get; } = spawned;

    public ConformanceSettings Settings { get; } = settings;

    public TimeSpan ReplyTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>A different account each call (round robin), so one check's sessions never collide with the last one's.</summary>
    public string NextUser() => Target.Users[(int)((uint)Interlocked.Increment(ref _nextUser) % (uint)Target.Users.Count)];

    public string Password => Target.Users.Password;

    public Task<RawPeer> RawAsync(int receiveBuffer = 0, IPAddress? localAddress = null) => RawPeer.ConnectAsync(Target, CancellationToken.None, receiveBuffer, localAddress);

    /// <summary>A raw peer past Hello and logged in as a fresh user.</summary>
    public async Task<(RawPeer Peer, string User)> RawLoggedInAsync(int receiveBuffer = 0)
    {
        var peer = await RawAsync(receiveBuffer).ConfigureAwait(false);
        await peer.HelloAsync().ConfigureAwait(false);
        string user = NextUser();
        var reply = await peer.LoginAsync(user, Password).ConfigureAwait(false);
        if (reply.Command != ChatCommand.UserAuthenticated)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw new CheckFailedException($"login as {user} failed: {reply}");
        }

        return (peer, user);
    }

    public ChatClientOptions ClientOptions => new()
    {
        ClientName = "lantalk-harness conformance",
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(10),
        WrapStream = Target.TlsWrapper,
    };

    /// <summary>A logged-in well-behaved client. Dispose it (await using) when done.</summary>
    public async Task<ChatClient> ClientAsync(string? user = null, IPAddress? localAddress = null, ushort version = ProtocolLimits.CurrentVersion)
    {
        var client = new ChatClient(ClientOptions with { LocalAddress = localAddress, Version = version });
        try
        {
            await client.ConnectAsync(Target.Host, Target.Port).ConfigureAwait(false);
            await client.LoginAsync(user ?? NextUser(), Password).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> against a server of its own: the suite's settings with <paramref name="overrides"/>,
    /// over <paramref name="transport"/>. For checks that need limits the shared server must not have (a lockout
    /// after 3 failures would break every later check). Always stopped afterwards; its death fails the check.
    /// </summary>
    public async Task WithOwnServerAsync(Transport transport, IReadOnlyDictionary<string, string> overrides, Func<CheckContext, Task> body, bool productionUser = false)
    {
        var exe = Spawned?.Executable ?? throw new CheckSkippedException("needs --spawn: it starts a server with its own settings");
        var setup = ConformanceCommand.SpawnSetup(Password, transport);
        var settings = new Dictionary<string, string>(setup.Settings);
        foreach (var (name, value) in overrides)
        {
            settings[name] = value;
        }

        await using var server = await SpawnedServer.StartAsync(exe, setup with { Settings = settings, ProductionUser = productionUser }, CancellationToken.None).ConfigureAwait(false);
        var target = new ServerTarget("127.0.0.1", server.Port, transport, server.Users, server.Pid) { TrustedFingerprint = server.Fingerprint };
        int loginTimeout = settings.TryGetValue("LoginTimeoutSeconds", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : Settings.LoginTimeoutSeconds;
        await body(new CheckContext(target, server, Settings with { LoginTimeoutSeconds = loginTimeout }, Notes)).ConfigureAwait(false);
        Expect(!server.HasExited, $"the check's own server died (exit code {server.ExitCode}):\n{server.RecentOutput}");
    }

    /// <summary>The same server reached over the other transport: what a client with the wrong TLS setting does.</summary>
    public ServerTarget TargetWith(Transport transport) => Target with { Transport = transport };

    /// <summary>Logs out (bounded) and disposes, so the account is free for the next check.</summary>
    public static async Task CloseAsync(ChatClient client)
    {
        try
        {
            await client.LogoutAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChatClientException or TimeoutException or InvalidOperationException)
        {
            // Already closed by the server.
        }

        await client.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The default room as a v3 client learns it at login. Its RoomInfo follows the online list, which is where
    /// LoginAsync completes, so it may still be on its way: wait for it (bounded) instead of reading Rooms at once.
    /// </summary>
    public async Task<RoomState> DefaultRoomAsync(ChatClient client)
    {
        var arrived = new TaskCompletionSource<RoomState>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnJoined(ChatClient _, RoomState room)
        {
            if (room.Info.Flags.HasFlag(RoomModes.Default))
            {
                arrived.TrySetResult(room);
            }
        }

        client.RoomJoined += OnJoined;
        try
        {
            if (client.Rooms.FirstOrDefault(r => r.Info.Flags.HasFlag(RoomModes.Default)) is { } known)
            {
                return known;
            }

            return await arrived.Task.WaitAsync(ReplyTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CheckFailedException($"the v3 session was told of no default room within {ReplyTimeout.TotalSeconds:0} s of its login");
        }
        finally
        {
            client.RoomJoined -= OnJoined;
        }
    }

    /// <summary>The health probe run after every hostile check: two fresh clients log in, and a message gets from one to the other.</summary>
    public async Task HealthAsync()
    {
        var a = await ClientAsync().ConfigureAwait(false);
        var b = await ClientAsync().ConfigureAwait(false);
        try
        {
            var received = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            b.MessageReceived += (_, m) =>
            {
                if (m.Text == "health probe")
                {
                    received.TrySetResult(m);
                }
            };
            await a.SendPublicAsync("health probe").ConfigureAwait(false);
            await received.Task.WaitAsync(ReplyTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CheckFailedException("health probe: a public message from a fresh client did not reach another within 5 s");
        }
        finally
        {
            await CloseAsync(a).ConfigureAwait(false);
            await CloseAsync(b).ConfigureAwait(false);
        }
    }

    public static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new CheckFailedException(failure);
        }
    }

    /// <summary>Expects an Error frame with <paramref name="code"/> and then, when <paramref name="closes"/>, the connection closing.</summary>
    public async Task ExpectErrorAsync(RawPeer peer, ErrorCode code, bool closes, string what)
    {
        var reply = await peer.ReadUntilAsync(r => r.Command is ChatCommand.Error or ChatCommand.ServerDisconnected, ReplyTimeout).ConfigureAwait(false);
        Expect(reply.IsError(code), $"{what}: expected Error {code}, got {reply}");
        if (closes)
        {
            var (closed, _) = await peer.ReadUntilClosedAsync(ReplyTimeout).ConfigureAwait(false);
            Expect(closed, $"{what}: the server sent {code} but did not close the connection within {ReplyTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Expects the server to close, with or without an Error frame first (any code).</summary>
    public static async Task<ErrorPacket?> ExpectClosedAsync(RawPeer peer, TimeSpan within, string what)
    {
        var (closed, error) = await peer.ReadUntilClosedAsync(within).ConfigureAwait(false);
        Expect(closed, $"{what}: the connection was still open after {within.TotalSeconds:0} s");
        return error;
    }
}
