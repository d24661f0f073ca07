using System.Net;
using System.Net.Sockets;
using LanTalk.Harness.Cli;
using LanTalk.Harness.Infra;
using LanTalk.Harness.Load;

namespace LanTalk.Harness.Irc;

/// <summary>
/// <c>lantalk-harness irc</c>: the design-32, burst-32 and crowd shapes against an IRC server (InspIRCd in
/// <c>make bench-peer</c>), so the peer's CPU and context switches per delivery and latency are measured exactly as
/// lantalk-server's: same schedule, same payload size, same /proc figures over the traffic phase only. With
/// <c>--spawn</c> the peer is lantalk-server's own IRC gateway (its IrcPort), so the same IRC driver measures both.
/// </summary>
internal static class IrcLoad
{
    public static async Task<int> RunAsync(IEnumerable<string> args, string commandLine, (long Soft, long Hard) fileLimit, CancellationToken cancellationToken)
    {
        var reader = new ArgReader(args, new HashSet<string>(["--no-progress"]));
        string? server = reader.String("--server");
        string? spawn = reader.String("--spawn");
        int? pid = reader.Int("--server-pid");
        var extraSettings = CommonOptions.ParseSettings(reader.String("--set"));
        string? json = reader.String("--json");
        reader.Flag("--no-progress");
        var options = LoadOptions.Read(reader);
        reader.RejectUnknown();
        if ((server is null) == (spawn is null))
        {
            throw new HarnessException("irc: give either --server 127.0.0.1:PORT (a running IRC server) or --spawn PATH (lantalk-server's IRC port)");
        }

        if (extraSettings.Count > 0 && spawn is null)
        {
            throw new HarnessException("irc: --set goes with --spawn: it writes the spawned server's Settings.xml");
        }

        IPEndPoint? endPoint = null;
        if (server is not null && (!IPEndPoint.TryParse(server, out endPoint) || !IPAddress.IsLoopback(endPoint.Address)))
        {
            throw new HarnessException($"irc: --server '{server}' must be a loopback address and port");
        }

        var (clients, spec) = options.Scenario switch
        {
            "design-32" => (options.Clients ?? 32, options.Traffic(32, rate: 20, duration: 10, window: 500)),
            "burst-32" => (options.Clients ?? 32, options.Traffic(32, rate: 0, duration: 0, messages: 2000, window: 200)),
            "crowd" => (options.Clients ?? 1000, options.Traffic(1000, rate: 0.5, duration: 10, window: 16)),
            _ => throw new HarnessException($"irc: scenario '{options.Scenario}' is not one of design-32, burst-32, crowd"),
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(300));
        spec = spec with { Senders = Math.Min(spec.Senders, clients) };
        var result = spawn is null
            ? await RunScenarioAsync(options.Scenario, endPoint!, pid is { } p ? new ProcStats(p) : null, clients, null, spec, deadline.Token).ConfigureAwait(false)
            : await RunSpawnedAsync(spawn, options.Scenario, clients, spec, extraSettings, deadline.Token).ConfigureAwait(false);
        ReportWriter.Print(Console.Out, [result], commandLine, fileLimit);
        if (json is not null)
        {
            ReportWriter.WriteJson(json, [result], commandLine, fileLimit);
        }

        return result.Passed ? 0 : 1;
    }

    /// <summary>
    /// lantalk-server with its IRC port on a free loopback port, the load settings of <c>load --spawn</c> (flood
    /// limits lifted, as InspIRCd's are in its bench config) and one cheap-hash account per client, each logging in
    /// with PASS: the configuration the seed requires (accounts, no guests), and the same accounts and store as the
    /// ChatSocket rows, so the IRC and ChatSocket rows differ only in the protocol. --set values come last and win
    /// (e.g. History=false, to take the store's cost out of a comparison with a peer that stores nothing).
    /// </summary>
    private static async Task<LoadResult> RunSpawnedAsync(string exe, string name, int count, TrafficSpec spec, Dictionary<string, string> extraSettings, CancellationToken cancellationToken)
    {
        int ircPort = SpawnedServer.FreePort();
        var settings = ServerSetup.LoadSettings(count, 64);
        settings["IrcPort"] = ServerSetup.Num(ircPort);
        // The bench channel holds every client, and the default room every account: neither may be the limit.
        settings["MaxRoomMembers"] = ServerSetup.Num(count + 16);
        var byOperator = ServerSetup.Override(settings, extraSettings);
        var setup = new ServerSetup { Settings = settings, SetByOperator = byOperator, UserPrefix = "load", UserCount = count };
        await using var server = await SpawnedServer.StartAsync(exe, setup, cancellationToken).ConfigureAwait(false);
        var result = await RunScenarioAsync(name, new IPEndPoint(IPAddress.Loopback, ircPort), new ProcStats(server.Pid), count, server.Users, spec, cancellationToken).ConfigureAwait(false);
        if (server.HasExited)
        {
            result.Failures.Add($"the server process died during the run (exit code {server.ExitCode}):\n{server.RecentOutput}");
        }
        else
        {
            bool graceful = await server.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            result.Extra.Add(("server stop", graceful ? $"exited on SIGTERM with code {server.ExitCode}" : "did not exit within 10 s of SIGTERM; killed"));
        }

        return result;
    }

    private static async Task<LoadResult> RunScenarioAsync(string name, IPEndPoint server, ProcStats? stats, int count, UserPool? users, TrafficSpec spec, CancellationToken cancellationToken)
    {
        var result = new LoadResult { Name = $"irc {name}", Clients = count, Senders = spec.Senders };
        var latency = new LatencyHistogram();
        var clients = Enumerable.Range(0, count).Select(i => new IrcClient(i, users is null ? $"b{i}" : users[i], users?.Password, spec.Senders, latency)).ToList();
        try
        {
            long t0 = Clock.Now;
            int connected = 0;
            using (var gate = new SemaphoreSlim(64))
            {
                await Task.WhenAll(clients.Select(async c =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await c.ConnectAsync(server, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                        Interlocked.Increment(ref connected);
                    }
                    catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                    {
                        // A refused connection or a login that never completed is the run's result, as in `load`: a
                        // stack trace and exit 134 told nothing (a README audit, 2026-12-07).
                        string reason = ex is OperationCanceledException ? "no welcome and JOIN within 60 s" : ex.Message;
                        lock (result.ConnectFailures)
                        {
                            result.ConnectFailures[reason] = result.ConnectFailures.GetValueOrDefault(reason) + 1;
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                })).ConfigureAwait(false);
            }

            result.Connected = connected;
            if (connected < count)
            {
                result.Failures.Add($"{count - connected} of {count} clients could not connect and join: {string.Join("; ", result.ConnectFailures.Select(f => $"{f.Value} x {f.Key}"))}");
                return result;
            }

            result.ConnectSeconds = Clock.ToSeconds(Clock.Now - t0);
            result.LoginsPerSecond = count / Math.Max(result.ConnectSeconds, 1e-9);
            // Every JOIN is announced to the whole channel: let that storm settle before the clock starts.
            await Task.Delay(TimeSpan.FromMilliseconds(count > 200 ? 1500 : 200), cancellationToken).ConfigureAwait(false);
            await TrafficAsync(clients, spec, stats, latency, result, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }

        return result;
    }

    private static async Task TrafficAsync(List<IrcClient> clients, TrafficSpec spec, ProcStats? stats, LatencyHistogram latency, LoadResult result, CancellationToken cancellationToken)
    {
        double cpuStart = stats?.CpuSeconds() ?? double.NaN;
        var switchesStart = stats?.ContextSwitches() ?? (-1, -1);
        long start = Clock.Now + Clock.FromSeconds(0.02);
        var lateness = new LatencyHistogram();
        var hostStart = HostCpu.Read();
        var sending = new Thread(() =>
        {
            if (spec.Rate > 0)
            {
                SendOnSchedule(clients, spec, start, lateness, cancellationToken);
            }
            else
            {
                SendBurst(clients, spec, cancellationToken);
            }
        })
        { IsBackground = true, Name = "irc-sender" };
        sending.Start();
        await Task.Run(sending.Join, cancellationToken).ConfigureAwait(false);

        long expectedEach = (long)spec.Senders * spec.MessagesPerSender;
        long expected = 0;
        foreach (var c in clients)
        {
            // No echo in IRC: a sender receives everyone's messages but its own.
            expected += expectedEach - (c.Index < spec.Senders ? spec.MessagesPerSender : 0);
        }

        long last = -1;
        long progress = Clock.Now;
        for (int i = 0; i < 10_000 && !cancellationToken.IsCancellationRequested; i++)
        {
            long unique = clients.Sum(c => c.Unique);
            if (unique >= expected || clients.Any(c => c.Failure is not null))
            {
                break;
            }

            if (unique != last)
            {
                (last, progress) = (unique, Clock.Now);
            }
            else if (Clock.ToSeconds(Clock.Now - progress) > spec.DrainSeconds)
            {
                break;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        double cpu = (stats?.CpuSeconds() ?? double.NaN) - cpuStart;
        var switchesEnd = stats?.ContextSwitches() ?? (-1, -1);
        result.Sent = clients.Sum(c => (long)c.Sent);
        result.Expected = expected;
        result.Received = clients.Sum(c => c.Unique);
        result.Loss = expected - result.Received;
        result.Duplicates = clients.Sum(c => c.Duplicates);
        result.OrderViolations = clients.Sum(c => c.OrderViolations);
        result.DeliverySeconds = Clock.ToSeconds(clients.Max(c => c.LastReceiveTicks) - start);
        result.DeliveriesPerSecond = result.Received / Math.Max(result.DeliverySeconds, 1e-9);
        result.LatencyP50Ms = latency.Percentile(50) / 1000.0;
        result.LatencyP99Ms = latency.Percentile(99) / 1000.0;
        result.LatencyMaxMs = latency.Max / 1000.0;
        if (stats is not null)
        {
            result.ServerCpuSeconds = cpu;
            result.CpuMicrosPerDelivery = cpu * 1e6 / Math.Max(1, result.Received);
            result.ServerPeakRss = stats.PeakRssBytes();
            result.SetContextSwitches(switchesStart, switchesEnd);
        }

        if (HostCpu.Read().Since(hostStart) is { } host)
        {
            result.Extra.Add(("host CPU", host));
        }

        if (lateness.Count > 0)
        {
            result.Extra.Add(("sender lateness", LoadRunner.Lateness(lateness)));
        }

        foreach (var c in clients.Where(c => c.Failure is not null).Take(5))
        {
            result.Disconnected.Add($"{c.Nick}: {c.Failure}");
        }

        if (result.Loss != 0)
        {
            result.Failures.Add($"loss {result.Loss} of {expected} expected deliveries");
        }

        if (result.Duplicates != 0 || result.OrderViolations != 0)
        {
            result.Failures.Add($"{result.Duplicates} duplicates, {result.OrderViolations} order violations");
        }
    }

    /// <summary>Open loop, phases spread over one period, as the LanTalk load runner does.</summary>
    private static void SendOnSchedule(List<IrcClient> clients, TrafficSpec spec, long start, LatencyHistogram lateness, CancellationToken cancellationToken)
    {
        long period = (long)(Clock.Frequency / spec.Rate);
        long stopAt = start + Clock.FromSeconds(spec.MaxSendSeconds);
        var due = new PriorityQueue<int, long>();
        for (int i = 0; i < spec.Senders; i++)
        {
            due.Enqueue(i, start + (period * i / spec.Senders));
        }

        while (due.TryPeek(out int index, out long when) && !cancellationToken.IsCancellationRequested && Clock.Now < stopAt)
        {
            if (when > Clock.Now)
            {
                PreciseSleep.Until(when);
                continue;
            }

            due.Dequeue();
            var client = clients[index];
            client.SendMessage(client.Sent + 1, when, spec.Size);
            lateness.Record((long)Clock.ToMicroseconds(Clock.Now - when), 0);
            if (client.Sent < spec.MessagesPerSender)
            {
                due.Enqueue(index, when + period);
            }
        }
    }

    /// <summary>
    /// As fast as flow control allows. IRC has no confirmation, so a sender may run at most the window ahead of
    /// what its neighbour (the next client) has received from it, like LanTalk's window on its own echoes.
    /// </summary>
    private static void SendBurst(List<IrcClient> clients, TrafficSpec spec, CancellationToken cancellationToken)
    {
        long stopAt = Clock.Now + Clock.FromSeconds(spec.MaxSendSeconds);
        var active = clients.Take(spec.Senders).ToList();
        while (active.Count > 0 && !cancellationToken.IsCancellationRequested && Clock.Now < stopAt)
        {
            bool progress = false;
            for (int i = active.Count - 1; i >= 0; i--)
            {
                var client = active[i];
                var witness = clients[(client.Index + 1) % clients.Count];
                for (int n = 0; n < 64 && client.Sent < spec.MessagesPerSender && client.Sent - witness.SeenFrom(client.Index) < spec.Window; n++)
                {
                    client.SendMessage(client.Sent + 1, Clock.Now, spec.Size);
                    progress = true;
                }

                if (client.Sent >= spec.MessagesPerSender || client.Failure is not null)
                {
                    active.RemoveAt(i);
                }
            }

            if (!progress)
            {
                Thread.Sleep(1);
            }
        }
    }
}
