using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>
/// Session lifetime under hostile timing (issue 11, items 1-4): logins whose connection ends while the password is
/// checked, a lockout an attacker tries to turn against the real user, frames trickled a byte at a time, and a
/// ping flood. Each starts its own server where it needs other limits.
/// </summary>
internal static class SessionChecks
{
    private const int GhostTries = 6;

    public static IEnumerable<Check> All =>
    [
        new("ghost-login", $"{GhostTries}x Hello+RequestLogin then an immediate close (FIN or RST), plaintext, production hash: none is admitted; the name logs in and no MaxClients slot is held", GhostLoginAsync, NeedsSpawnedServer: true),
        new("double-login-ghost", "two RequestLogins in one write: ProtocolViolation and close, and the first login never enters the roster", DoubleLoginAsync, NeedsSpawnedServer: true),
        new("lockout-not-dos", "guesses for a name spread over 127.0.0.2-13 stay capped at LoginFailureLimit (3) with a retry time; the real user still logs in from an address it used before", LockoutNotDosAsync, NeedsSpawnedServer: true),
        new("frame-deadline", "a frame trickled one byte per 250 ms gets IdleTimeout and close within FrameDeadlineSeconds (2) + 2 s, before and after login", FrameDeadlineAsync, NeedsSpawnedServer: true),
        new("ping-flood", "65 Pings in one write: at most 32 Pongs, then ServerDisconnected(RateLimited \"ping flood\") and close; 32 in one write are all answered", PingFloodAsync, Hostile: true),
    ];

    /// <summary>MaxClients 2 and a production-cost account, so each check of the password takes long enough for the close to win.</summary>
    private static Dictionary<string, string> GhostSettings => new()
    {
        ["MaxClients"] = "2",
        // The real login may queue behind the abandoned ones' hashes; the suite's 2 s would time it out on a busy machine.
        ["LoginTimeoutSeconds"] = "30",
    };

    private static async Task GhostLoginAsync(CheckContext c) => await c.WithOwnServerAsync(Transport.Plaintext, GhostSettings, async s =>
    {
        string user = s.Target.Users.ProductionUser ?? throw new HarnessException("no production-cost account was created");
        string password = s.Target.Users.ProductionPassword!;
        var hello = FrameCodec.Serialize(ChatCommand.Hello, string.Empty, new ClientHelloPacket(ProtocolLimits.CurrentVersion, "ghost")).ToArray();
        var login = FrameCodec.Serialize(ChatCommand.RequestLogin, string.Empty, new LoginPacket(user, password)).ToArray();
        for (int i = 0; i < GhostTries; i++)
        {
            var peer = await s.RawAsync();
            await peer.SendAsync(Bytes.Concat(hello, login));
            if (i % 2 == 1)
            {
                // RST instead of FIN: a zero linger makes the close abortive.
                peer.Socket.LingerState = new LingerOption(true, 0);
            }

            await peer.DisposeAsync();
        }

        await ExpectNoGhostAsync(s, user, password, $"after {GhostTries} logins closed at once");
        s.Note($"{GhostTries} closed logins, none admitted");
    }, productionUser: true);

    private static async Task DoubleLoginAsync(CheckContext c) => await c.WithOwnServerAsync(Transport.Plaintext, GhostSettings, async s =>
    {
        string user = s.Target.Users.ProductionUser ?? throw new HarnessException("no production-cost account was created");
        string password = s.Target.Users.ProductionPassword!;
        await using (var peer = await s.RawAsync())
        {
            await peer.HelloAsync();
            var login = FrameCodec.Serialize(ChatCommand.RequestLogin, string.Empty, new LoginPacket(user, password)).ToArray();
            await peer.SendAsync(Bytes.Concat(login, login));
            await s.ExpectErrorAsync(peer, ErrorCode.ProtocolViolation, closes: true, "two RequestLogins in one write");
        }

        await ExpectNoGhostAsync(s, user, password, "after two RequestLogins in one write");
    }, productionUser: true);

    /// <summary>
    /// The name logs in (a ghost would make it AlreadyLoggedIn), is listed once, and with MaxClients 2 one more user
    /// fits beside it (a ghost of another attempt would make that ServerFull).
    /// </summary>
    private static async Task ExpectNoGhostAsync(CheckContext s, string user, string password, string after)
    {
        var real = new ChatClient(s.ClientOptions);
        try
        {
            await real.ConnectAsync(s.Target.Host, s.Target.Port);
            try
            {
                await real.LoginAsync(user, password);
            }
            catch (ChatClientException ex) when (ex.Code is ErrorCode.AlreadyLoggedIn or ErrorCode.ServerFull)
            {
                throw new CheckFailedException($"{after}, the real login as {user} got {ex.Code}: a closed connection's login entered the roster");
            }

            var other = await s.ClientAsync();
            try
            {
                var online = await other.RequestUsersAsync();
                Expect(online.Count(u => string.Equals(u.Name, user, StringComparison.OrdinalIgnoreCase)) == 1 && online.Count == 2,
                    $"{after}, the user list should hold {user} and one other; it holds {string.Join(", ", online.Select(u => u.Name))}");
            }
            finally
            {
                await CloseAsync(other);
            }
        }
        catch (ChatClientException ex) when (ex.Code == ErrorCode.ServerFull)
        {
            throw new CheckFailedException($"{after}, MaxClients 2 was full with one real user: a ghost holds a slot");
        }
        finally
        {
            await CloseAsync(real);
        }
    }

    private static async Task LockoutNotDosAsync(CheckContext c) => await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string>
    {
        ["LoginFailureLimit"] = "3",
        ["LoginFailureWindowSeconds"] = "60",
    }, async s =>
    {
        string victim = s.NextUser();
        // The real user has logged in from 127.0.0.1 before the attack.
        await CloseAsync(await s.ClientAsync(victim, IPAddress.Loopback));

        const int Attackers = 12;
        int authFailed = 0;
        int limited = 0;
        string? retryText = null;
        for (int i = 0; i < Attackers; i++)
        {
            await using var attacker = await s.RawAsync(localAddress: IPAddress.Parse($"127.0.0.{i + 2}"));
            await attacker.HelloAsync();
            var reply = await attacker.LoginAsync(victim, $"guess-{i}");
            if (reply.IsError(ErrorCode.AuthFailed))
            {
                authFailed++;
            }
            else if (reply.IsError(ErrorCode.RateLimited))
            {
                limited++;
                retryText ??= reply.Error!.Text;
            }
            else
            {
                throw new CheckFailedException($"guess {i + 1} from 127.0.0.{i + 2}: expected AuthFailed or RateLimited, got {reply}");
            }
        }

        Expect(authFailed <= 3, $"{authFailed} of {Attackers} guesses from {Attackers} addresses were checked; LoginFailureLimit is 3 per name");
        Expect(retryText is not null && System.Text.RegularExpressions.Regex.IsMatch(retryText, @"try again in \d+ s"), $"RateLimited should say when to try again; it said \"{retryText}\"");

        // The real user, from the address it logged in from before, gets in during the lockout.
        await using (var real = await s.RawAsync(localAddress: IPAddress.Loopback))
        {
            await real.HelloAsync();
            var reply = await real.LoginAsync(victim, s.Password);
            Expect(reply.Command == ChatCommand.UserAuthenticated, $"the real user from 127.0.0.1 during the attack: expected UserAuthenticated, got {reply}");
        }

        // And its login handed the attacker no fresh allowance.
        await using (var late = await s.RawAsync(localAddress: IPAddress.Parse($"127.0.0.{Attackers + 2}")))
        {
            await late.HelloAsync();
            var reply = await late.LoginAsync(victim, "guess-late");
            Expect(reply.IsError(ErrorCode.RateLimited), $"a guess from a new address after the real login: expected RateLimited, got {reply}");
        }

        s.Note($"{authFailed} guesses checked, {limited} refused (\"{retryText}\"); real user admitted");
    });

    private static async Task FrameDeadlineAsync(CheckContext c) => await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string>
    {
        ["FrameDeadlineSeconds"] = "2",
        // Far beyond the check, so only the frame deadline can end these sessions.
        ["LoginTimeoutSeconds"] = "30",
        ["IdleTimeoutSeconds"] = "30",
    }, async s =>
    {
        var frame = FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(1, new string('x', 100))).ToArray();
        await using (var loggedIn = (await s.RawLoggedInAsync()).Peer)
        {
            await ExpectCutWhileTricklingAsync(s, loggedIn, frame, "a logged-in client trickling a PublicMessage");
        }

        await using (var fresh = await s.RawAsync())
        {
            var first = await fresh.ReadAsync(s.ReplyTimeout);
            Expect(first.Packet is ServerHelloPacket, $"expected ServerHello, got {first}");
            var hello = FrameCodec.Serialize(ChatCommand.Hello, string.Empty, new ClientHelloPacket(ProtocolLimits.CurrentVersion, new string('h', 100))).ToArray();
            await ExpectCutWhileTricklingAsync(s, fresh, hello, "a new connection trickling its Hello");
        }
    });

    private static async Task ExpectCutWhileTricklingAsync(CheckContext s, RawPeer peer, byte[] frame, string what)
    {
        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < frame.Length && !stop.IsCancellationRequested; i++)
                {
                    await peer.SendAsync(frame.AsMemory(i, 1));
                    await Task.Delay(250, stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Cut off by the server: what the check expects.
            }
        });

        try
        {
            await s.ExpectErrorAsync(peer, ErrorCode.IdleTimeout, closes: true, what);
        }
        finally
        {
            await stop.CancelAsync();
            await trickle;
        }
    }

    private static async Task PingFloodAsync(CheckContext c)
    {
        var (peer, _) = await c.RawLoggedInAsync();
        await using (peer)
        {
            await peer.SendAsync(Pings(65));
            int pongs = 0;
            while (true)
            {
                var reply = await peer.ReadAsync(c.ReplyTimeout);
                if (reply.Kind == ReplyKind.Frame && reply.Command == ChatCommand.Pong)
                {
                    pongs++;
                    continue;
                }

                // The login's user list and presence batches may arrive in between.
                if (reply.Kind == ReplyKind.Frame && reply.Command is ChatCommand.RequestUsers or ChatCommand.UserConnected or ChatCommand.UserDisconnected)
                {
                    continue;
                }

                Expect(reply.Command == ChatCommand.ServerDisconnected && reply.IsError(ErrorCode.RateLimited) && reply.Error!.Text.Contains("ping flood", StringComparison.Ordinal),
                    $"65 Pings in one write: after {pongs} Pongs expected ServerDisconnected RateLimited \"ping flood\", got {reply}");
                break;
            }

            Expect(pongs <= 32, $"{pongs} Pongs before the flood was cut; the limit is 32 unsent");
            await ExpectClosedAsync(peer, c.ReplyTimeout, "after the ping-flood ServerDisconnected");
            c.Note($"{pongs} Pongs, then ServerDisconnected RateLimited");
        }

        var (polite, _) = await c.RawLoggedInAsync();
        await using (polite)
        {
            await polite.SendAsync(Pings(32));
            for (ulong nonce = 1; nonce <= 32; nonce++)
            {
                var pong = await polite.ReadUntilAsync(r => r.Command is ChatCommand.Pong or ChatCommand.Error or ChatCommand.ServerDisconnected, c.ReplyTimeout);
                Expect(pong.Packet is PingPacket p && p.Nonce == nonce, $"32 Pings in one write: expected Pong {nonce}, got {pong}");
            }
        }
    }

    private static byte[] Pings(int count) =>
        Bytes.Concat([.. Enumerable.Range(1, count).Select(n => FrameCodec.Serialize(ChatCommand.Ping, string.Empty, new PingPacket((ulong)n)).ToArray())]);
}
