using LanTalk.Harness.Cli;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

/// <summary>Runs a named scenario: gets a server (spawned with the scenario's Settings.xml, or the given one), runs it, stops it.</summary>
internal sealed partial class ScenarioRunner(CommonOptions common, LoadOptions options, (long Soft, long Hard) fileLimit)
{
    private string _name = "custom";

    public async Task<List<LoadResult>> RunAsync(string name, CancellationToken cancellationToken)
    {
        _name = name;
        // Every scenario stops on its own: the deadline covers connecting, sending and draining with room to spare.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(name == "capacity" ? 900 : 300));
        var token = deadline.Token;
        return name switch
        {
            "design-32" => await Design32Async(token).ConfigureAwait(false),
            // Window 200: a receiver's server-side queue holds up to senders x window frames (32 x 200 = 6,400), far
            // under the default OutboundQueueFrames (65,536), so a receiver that falls a burst behind is not cut off.
            "burst-32" => await SimpleAsync(32, options.Traffic(32, rate: 0, duration: 0, messages: 2000, window: 200), token).ConfigureAwait(false),
            "crowd" => await SimpleAsync(1000, options.Traffic(1000, rate: 0.5, duration: 10, window: 16), token).ConfigureAwait(false),
            // 200/s each offers 200k/s: routed/s counts from the first send to the last receipt, so offering exactly
            // the 150k target could only ever measure just under it.
            "private" => await SimpleAsync(1000, options.Traffic(1000, rate: 200, duration: 5, window: 256, privateRatio: 1), token).ConfigureAwait(false),
            "churn" => await ChurnAsync(token).ConfigureAwait(false),
            "slow-consumer" => await SlowConsumerAsync(token).ConfigureAwait(false),
            "server-full" => await ServerFullAsync(token).ConfigureAwait(false),
            "capacity" => await CapacityAsync(token).ConfigureAwait(false),
            "durability" => await DurabilityAsync(token).ConfigureAwait(false),
            "history-join" => await HistoryJoinAsync(token).ConfigureAwait(false),
            "offline-flush" => await OfflineFlushAsync(token).ConfigureAwait(false),
            "sessions" => await SessionsAsync(token).ConfigureAwait(false),
            "rooms" => await RoomsAsync(token).ConfigureAwait(false),
            _ => await SimpleAsync(options.Clients ?? 32, options.Traffic(options.Clients ?? 32, rate: 20, duration: 10), token).ConfigureAwait(false),
        };
    }

    /// <summary>Spawns (or reuses) a server for the scenario, runs <paramref name="body"/>, and always stops what it spawned.</summary>
    private async Task<List<LoadResult>> WithServerAsync(int users, Dictionary<string, string> settings, bool productionUser,
        Func<LoadRunner, Task<List<LoadResult>>> body, CancellationToken cancellationToken)
    {
        if (common.Spawn is not { } exe)
        {
            var existing = common.ExistingTarget();
            var stats = common.ServerPid is { } pid ? new ProcStats(pid) : null;
            using var existingRunner = new LoadRunner(existing, stats, common.Progress);
            return await body(existingRunner).ConfigureAwait(false);
        }

        await using var server = await SpawnedServer.StartAsync(exe, SpawnSetup(settings, users, productionUser), cancellationToken).ConfigureAwait(false);
        var target = new ServerTarget("127.0.0.1", server.Port, common.Transport, server.Users, server.Pid) { TrustedFingerprint = server.Fingerprint };
        using var runner = new LoadRunner(target, new ProcStats(server.Pid), common.Progress);
        var results = await body(runner).ConfigureAwait(false);
        if (server.HasExited)
        {
            foreach (var result in results)
            {
                result.Failures.Add($"the server process died during the run (exit code {server.ExitCode}):\n{server.RecentOutput}");
            }
        }
        else
        {
            bool graceful = await server.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            results[^1].Extra.Add(("server stop", graceful ? $"exited on SIGTERM with code {server.ExitCode}" : "did not exit within 10 s of SIGTERM; killed"));
        }

        return results;
    }

    /// <summary>
    /// A spawned server's set-up: the scenario's settings, then the --set values, which win (an operator's experiment,
    /// e.g. HistoryPowerSafe=false). Their names go along, so a name the server does not know refuses the run.
    /// </summary>
    private ServerSetup SpawnSetup(Dictionary<string, string> settings, int users, bool productionUser)
    {
        var byOperator = ServerSetup.Override(settings, common.ExtraSettings);
        return new ServerSetup
        {
            Settings = settings,
            SetByOperator = byOperator,
            UserPrefix = common.UserPrefix,
            UserCount = users,
            Password = common.Password,
            ProductionUser = productionUser,
            Tls = common.Transport == Transport.Tls,
        };
    }

    private static Dictionary<string, string> Settings(int clients, int concurrency) => ServerSetup.LoadSettings(clients, concurrency * 2);

    private async Task<List<LoadResult>> SimpleAsync(int defaultClients, TrafficSpec spec, CancellationToken cancellationToken)
    {
        int clients = options.Clients ?? defaultClients;
        return await WithServerAsync(clients, Settings(clients, 64), productionUser: false, async runner =>
        {
            var result = await PhaseAsync(runner, _name, clients, 0, spec with { Senders = Math.Min(spec.Senders, clients) }, cancellationToken).ConfigureAwait(false);
            AddTargets(result);
            return [result];
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<LoadResult>> Design32Async(CancellationToken cancellationToken)
    {
        int clients = options.Clients ?? 32;
        var spec = options.Traffic(clients, rate: 20, duration: 10, window: 500);
        return await WithServerAsync(clients, Settings(clients, 64), productionUser: common.Spawn is not null, async runner =>
        {
            var result = await PhaseAsync(runner, _name, clients, 0, spec, cancellationToken).ConfigureAwait(false);
            AddTargets(result);
            await ProductionLoginsAsync(runner, result, cancellationToken).ConfigureAwait(false);
            return [result];
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connect, one traffic phase, close: the common shape of most scenarios.</summary>
    private static async Task<LoadResult> PhaseAsync(LoadRunner runner, string name, int clients, int userOffset, TrafficSpec spec, CancellationToken cancellationToken,
        Func<List<LoadClient>, LoadResult, Task>? beforeTraffic = null, int sessionsPerUser = 1, Action<List<LoadClient>>? arrange = null,
        Action<List<LoadClient>>? afterTraffic = null)
    {
        var result = new LoadResult { Name = name };
        var list = runner.CreateClients(clients, userOffset, sessionsPerUser);
        arrange?.Invoke(list);
        long rssBefore = runner.Server?.RssBytes() ?? 0;
        result.ServerRssBaseline = runner.Server is null ? -1 : rssBefore;
        try
        {
            await runner.ConnectAsync(list, 64, result, cancellationToken).ConfigureAwait(false);
            if (runner.Server is { } server && result.Connected > 0)
            {
                result.ServerRssPerConnection = Math.Max(0, server.RssBytes() - rssBefore) / result.Connected;
            }

            if (result.Connected < clients)
            {
                result.Failures.Add($"{clients - result.Connected} of {clients} clients could not log in: {string.Join("; ", result.ConnectFailures.Select(f => $"{f.Value} x {f.Key}"))}");
            }

            // Let the login presence storm settle before the clock starts.
            await Task.Delay(TimeSpan.FromMilliseconds(clients > 200 ? 1500 : 200), cancellationToken).ConfigureAwait(false);
            if (beforeTraffic is not null)
            {
                await beforeTraffic(list, result).ConfigureAwait(false);
            }

            await runner.TrafficAsync(list, spec, result, cancellationToken).ConfigureAwait(false);
            // Before closing: the clients' counters still hold the phase.
            afterTraffic?.Invoke(list);
        }
        finally
        {
            await LoadRunner.CloseAllAsync(list, logout: true).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Times a few logins of an account hashed at the server's default (production) cost.</summary>
    private static async Task ProductionLoginsAsync(LoadRunner runner, LoadResult result, CancellationToken cancellationToken)
    {
        if (runner.Target.Users.ProductionUser is not { } user)
        {
            return;
        }

        var times = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var client = new LoadClient(0, user, runner.State);
            long t0 = Clock.Now;
            try
            {
                await client.ConnectAndLoginAsync(runner.Target, null, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                times.Add(Clock.ToSeconds(Clock.Now - t0) * 1000);
            }
            catch (LoginRefusedException ex)
            {
                result.Extra.Add(("production-cost login", $"refused: {ex.Message}"));
                return;
            }
            finally
            {
                await client.CloseAsync(logout: true).ConfigureAwait(false);
            }
        }

        times.Sort();
        result.Extra.Add(("production-cost login (default PBKDF2 iterations)", $"median {times[1]:0.0} ms, max {times[2]:0.0} ms over 3 sequential logins"));
    }
}
