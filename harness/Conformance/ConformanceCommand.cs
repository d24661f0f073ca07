using System.Diagnostics;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Harness.Cli;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Conformance;

/// <summary>`lantalk-harness conformance`: runs the named checks, prints PASS/FAIL/SKIP per check, exits 1 on any FAIL.</summary>
internal static class ConformanceCommand
{
    /// <summary>Short timeouts, so the timeout checks finish in seconds; lifted flood limits, so the slow-consumer flood is not rate-limited.</summary>
    internal static ConformanceSettings SpawnSettings { get; } = new(MaxClients: 8, LoginTimeoutSeconds: 2, IdleTimeoutSeconds: 6, MaxMessageBytes: 4096, MaxUserNameLength: 32);

    public static async Task<int> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var reader = new ArgReader(arguments, new HashSet<string>([.. CommonOptions.Flags, "--list"]));
        if (reader.Flag("--list"))
        {
            foreach (var check in CheckList.All)
            {
                Console.WriteLine($"{check.Name,-28} {check.Description}");
            }

            return 0;
        }

        var common = CommonOptions.Read(reader);
        if (common.ExtraSettings.Count > 0)
        {
            throw new HarnessException("conformance takes no --set: each check runs on the settings it checks");
        }

        var only = reader.String("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        reader.RejectUnknown();
        var checks = CheckList.All.Where(c => only is null || only.Contains(c.Name)).ToList();
        if (only is not null && only.Except(checks.Select(c => c.Name)).FirstOrDefault() is { } unknown)
        {
            throw new HarnessException($"no check named '{unknown}' (see --list)");
        }

        SpawnedServer? spawned = null;
        try
        {
            ServerTarget target;
            ConformanceSettings settings;
            if (common.Spawn is { } exe)
            {
                spawned = await SpawnedServer.StartAsync(exe, SpawnSetup(common.Password, common.Transport), cancellationToken);
                target = new ServerTarget("127.0.0.1", spawned.Port, common.Transport, spawned.Users, spawned.Pid) { TrustedFingerprint = spawned.Fingerprint };
                settings = SpawnSettings;
            }
            else
            {
                target = common.ExistingTarget();
                settings = await AnnouncedSettingsAsync(target);
            }

            return await RunChecksAsync(checks, new CheckContext(target, spawned, settings), cancellationToken);
        }
        finally
        {
            if (spawned is not null)
            {
                await spawned.DisposeAsync();
            }
        }
    }

    /// <summary>The suite's server; checks that need other limits start their own from this, with overrides (<see cref="CheckContext.WithOwnServerAsync"/>).</summary>
    internal static ServerSetup SpawnSetup(string password, Transport transport) => new()
    {
        UserPrefix = "conf",
        UserCount = 40,
        Password = password,
        Tls = transport == Transport.Tls,
        Settings = new Dictionary<string, string>
        {
            ["MaxClients"] = ServerSetup.Num(SpawnSettings.MaxClients),
            ["MaxConnectionsPerAddress"] = "64",
            ["MaxPendingLogins"] = "64",
            // The checks all connect from 127.0.0.1, up to 30 at once (connect-storm); prelogin-flood tests the default.
            ["MaxPendingLoginsPerAddress"] = "64",
            ["LoginTimeoutSeconds"] = ServerSetup.Num(SpawnSettings.LoginTimeoutSeconds),
            ["PingIntervalSeconds"] = "5",
            ["IdleTimeoutSeconds"] = ServerSetup.Num(SpawnSettings.IdleTimeoutSeconds),
            ["MaxMessageBytes"] = ServerSetup.Num(SpawnSettings.MaxMessageBytes),
            ["MaxUserNameLength"] = ServerSetup.Num(SpawnSettings.MaxUserNameLength),
            // A slow consumer fills 1,024 frames or 1 MiB quickly; the defaults would make the check take 10+ s.
            ["OutboundQueueFrames"] = "1024",
            ["OutboundQueueBytes"] = ServerSetup.Num(1024 * 1024),
            // The checks fail logins on purpose; the lockout has its own checks (with their own settings) later.
            ["LoginFailureLimit"] = "1000",
            // The checks register accounts from 127.0.0.1 by the dozen.
            ["RegistrationsPerAddress"] = "1000000",
            ["RegistrationsPerServer"] = "1000000",
            ["MessageRatePerSecond"] = "100000",
            ["MessageBurst"] = "100000",
            ["CommandRatePerSecond"] = "100000",
            ["CommandBurst"] = "100000",
        },
    };

    /// <summary>Against a server we did not start, timeouts and limits come from its ServerHello (login timeout assumed 10 s).</summary>
    private static async Task<ConformanceSettings> AnnouncedSettingsAsync(ServerTarget target)
    {
        RawPeer peer;
        try
        {
            peer = await RawPeer.ConnectAsync(target, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            throw new HarnessException($"cannot reach the server at {target}: {ex.Message}");
        }

        await using var _ = peer;
        ServerHelloPacket hello;
        try
        {
            hello = await peer.HelloAsync();
        }
        catch (CheckFailedException ex)
        {
            // This greeting only reads the server's limits before any check runs: an answer other than ServerHello
            // (a TLS server reached in plaintext, the harness's default) is a set-up error, not a crash with a stack
            // trace. The server's own text says "connect without --plaintext", which is the client's wording.
            string hint = target.Transport == Transport.Plaintext
                ? "; for a server with TLS (the default) add --tls --trust FINGERPRINT, the SHA-256 fingerprint it logs at start"
                : string.Empty;
            throw new HarnessException($"the server at {target} did not greet the harness: {ex.Message}{hint}");
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            throw new HarnessException($"the server at {target} closed the connection before its greeting: {ex.Message}");
        }

        return new ConformanceSettings(0, 10, hello.IdleTimeoutSeconds, hello.MaxMessageBytes, hello.MaxUserNameLength);
    }

    private static async Task<int> RunChecksAsync(List<Check> checks, CheckContext context, CancellationToken cancellationToken)
    {
        int failed = 0;
        int passed = 0;
        int skipped = 0;
        foreach (var check in checks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            context.Notes.Clear();
            string? failure = null;
            string? skip = null;
            try
            {
                if (check.NeedsSpawnedServer && context.Spawned is null)
                {
                    throw new CheckSkippedException("needs --spawn (it relies on the server's settings or stops it)");
                }

                await check.RunAsync(context).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                if (check.Hostile)
                {
                    await context.HealthAsync().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                }
            }
            catch (CheckSkippedException ex)
            {
                skip = ex.Message;
            }
            catch (CheckFailedException ex)
            {
                failure = ex.Message;
            }
            catch (ChatClientException ex)
            {
                failure = $"{ex.Failure}{(ex.Code != Core.Protocol.ErrorCode.None ? $" ({ex.Code})" : string.Empty)}: {ex.Message}";
            }
            catch (TimeoutException)
            {
                failure = "timed out";
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or HarnessException)
            {
                failure = $"{ex.GetType().Name}: {ex.Message}";
            }

            if (failure is null && context.Spawned is { HasExited: true } dead && check.Name != "shutdown-notice")
            {
                failure = $"the server process died (exit code {dead.ExitCode}):\n{dead.RecentOutput}";
            }

            string time = $"({watch.Elapsed.TotalSeconds:0.0} s)";
            if (skip is not null)
            {
                skipped++;
                Console.WriteLine($"SKIP {check.Name} {time}: {skip}");
            }
            else if (failure is null)
            {
                passed++;
                Console.WriteLine($"PASS {check.Name} {time}{(context.Notes.Count > 0 ? ": " + string.Join("; ", context.Notes) : string.Empty)}");
            }
            else
            {
                failed++;
                Console.WriteLine($"FAIL {check.Name} {time}: {failure}");
            }

            if (context.Spawned is { HasExited: true } && check.Name != "shutdown-notice")
            {
                Console.WriteLine("the server is gone; the remaining checks cannot run");
                failed += checks.Count - passed - failed - skipped;
                break;
            }
        }

        Console.WriteLine($"conformance: {passed} passed, {failed} failed, {skipped} skipped");
        return failed > 0 ? 1 : 0;
    }
}
