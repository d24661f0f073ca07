using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

internal sealed partial class LoadRunner
{
    /// <summary>
    /// Sends on a fixed schedule (open loop) or as fast as the window allows, waits for deliveries to settle, then
    /// checks every delivery: loss, duplicates and per-sender order, plus latency and the server's CPU and memory.
    /// </summary>
    public async Task TrafficAsync(IReadOnlyList<LoadClient> clients, TrafficSpec spec, LoadResult result, CancellationToken cancellationToken)
    {
        var live = clients.Where(c => c.IsLoggedIn && c.ServerReason is null).ToList();
        int senders = Math.Min(spec.Senders, live.Count);
        int messages = spec.MessagesPerSender;
        // Clients in rooms (version 3) receive public messages only from their room's senders.
        int[]? roomOf = live.Any(c => c.Room is not null) ? live.Select(c => c.RoomIndex).ToArray() : null;
        // Version 3 sessions of one account get each other's messages flagged Mirror, and only those.
        var accounts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int[]? userOf = roomOf is null ? null : live.Select(c => accounts.TryGetValue(c.UserName, out int u) ? u : accounts[c.UserName] = accounts.Count).ToArray();
        var plan = new LoadPlan(live.Count, senders, messages, spec.PrivateRatio, seed: 42, roomOf, userOf);
        // Indices in the plan are positions in the live list, so a client that failed to log in leaves no hole.
        var ordered = live;
        for (int i = 0; i < ordered.Count; i++)
        {
            ordered[i].Reindex(i);
            ordered[i].Prepare(plan, spec.Size, spec.Window);
        }

        State.ResetLatency();
        result.Senders = senders;
        double cpuStart = Server?.CpuSeconds() ?? double.NaN;
        var switchesStart = Server?.ContextSwitches() ?? (-1, -1);
        var self = new ProcStats(Environment.ProcessId);
        double selfStart = self.CpuSeconds();
        var hostStart = HostCpu.Read();
        long start = Clock.Now + Clock.FromSeconds(0.02);
        long sendStopped = 0;
        // How late the sender itself sent each message (scheduled runs): part of every latency figure, not the server's.
        var lateness = new LatencyHistogram();
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A dedicated thread: the schedule must not wait behind the thread pool that runs every client's read loop.
        var thread = new Thread(() =>
        {
            try
            {
                if (spec.Rate > 0)
                {
                    SendOnSchedule(ordered, plan, spec, start, lateness, cancellationToken);
                }
                else
                {
                    SendBurst(ordered, plan, spec, cancellationToken);
                }
            }
            finally
            {
                Volatile.Write(ref sendStopped, Clock.Now);
                sending.TrySetResult();
            }
        })
        { IsBackground = true, Name = "load-sender" };
        using (new Progress(result.Name, () => Status(ordered, start), ShowProgress))
        {
            thread.Start();
            await sending.Task.ConfigureAwait(false);
            await DrainAsync(ordered, spec, cancellationToken).ConfigureAwait(false);
        }

        double cpuEnd = Server?.CpuSeconds() ?? double.NaN;
        var switchesEnd = Server?.ContextSwitches() ?? (-1, -1);
        Collect(ordered, plan, result, start, cpuEnd - cpuStart);
        result.SetContextSwitches(switchesStart, switchesEnd);
        // If the harness itself used most of the machine, the figures say more about it than about the server.
        result.Extra.Add(("harness CPU", $"{self.CpuSeconds() - selfStart:0.00} s over {result.DeliverySeconds:0.00} s of traffic ({Environment.ProcessorCount} cores)"));
        if (HostCpu.Read().Since(hostStart) is { } host)
        {
            result.Extra.Add(("host CPU", host));
        }

        if (lateness.Count > 0)
        {
            result.Extra.Add(("sender lateness", Lateness(lateness)));
        }
    }

    private static string Status(List<LoadClient> clients, long start)
    {
        long delivered = clients.Sum(c => c.Received - c.Echoes);
        long sent = clients.Sum(c => c.Sent);
        double seconds = Math.Max(Clock.ToSeconds(Clock.Now - start), 1e-3);
        int alive = clients.Count(c => c.ServerReason is null);
        return $"clients {alive}/{clients.Count}, sent {sent:N0}, delivered {delivered:N0} ({delivered / seconds:N0}/s)";
    }

    /// <summary>"p50 / p99 / max" of the sender's own lateness, for the report.</summary>
    internal static string Lateness(LatencyHistogram lateness) =>
        $"p50 {lateness.Percentile(50) / 1000.0:0.000} ms, p99 {lateness.Percentile(99) / 1000.0:0.000} ms, max {lateness.Max / 1000.0:0.000} ms after the intended send time (counted in latency)";

    private static void SendOnSchedule(List<LoadClient> clients, LoadPlan plan, TrafficSpec spec, long start, LatencyHistogram lateness, CancellationToken cancellationToken)
    {
        long period = (long)(Clock.Frequency / spec.Rate);
        long stopAt = start + Clock.FromSeconds(spec.MaxSendSeconds);
        var due = new PriorityQueue<int, long>();
        for (int i = 0; i < plan.Senders; i++)
        {
            // Phases spread evenly over one period, so 32 senders at 20/s are not 32 simultaneous bursts.
            due.Enqueue(i, start + (period * i / plan.Senders));
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
            if (client.Connection is not { IsClosing: false })
            {
                continue;
            }

            if (!client.TrySend(when, spec.Size, clients))
            {
                // Window full: keep the intended time, so the wait shows up as latency, and give the server a moment.
                due.Enqueue(index, when);
                Thread.Sleep(1);
                continue;
            }

            lateness.Record((long)Clock.ToMicroseconds(Clock.Now - when), 0);
            if (client.Sent < plan.MessagesPerSender)
            {
                due.Enqueue(index, when + period);
            }
        }
    }

    private static void SendBurst(List<LoadClient> clients, LoadPlan plan, TrafficSpec spec, CancellationToken cancellationToken)
    {
        long stopAt = Clock.Now + Clock.FromSeconds(spec.MaxSendSeconds);
        var active = clients.Take(plan.Senders).ToList();
        while (active.Count > 0 && !cancellationToken.IsCancellationRequested && Clock.Now < stopAt)
        {
            bool progress = false;
            for (int i = active.Count - 1; i >= 0; i--)
            {
                var client = active[i];
                // A bounded slice per client per pass keeps the senders interleaved.
                for (int n = 0; n < 64 && client.Sent < plan.MessagesPerSender && client.TrySend(Clock.Now, spec.Size, clients); n++)
                {
                    progress = true;
                }

                if (client.Sent >= plan.MessagesPerSender || client.Connection is not { IsClosing: false })
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

    private static async Task DrainAsync(List<LoadClient> clients, TrafficSpec spec, CancellationToken cancellationToken)
    {
        long lastCount = -1;
        long lastProgress = Clock.Now;
        while (!cancellationToken.IsCancellationRequested)
        {
            long unique = 0;
            long expected = 0;
            foreach (var client in clients)
            {
                if (client.ServerReason is null)
                {
                    unique += client.Unique;
                    expected += client.Expected(clients);
                }
            }

            if (unique >= expected)
            {
                return;
            }

            if (unique != lastCount)
            {
                lastCount = unique;
                lastProgress = Clock.Now;
            }
            else if (Clock.ToSeconds(Clock.Now - lastProgress) > spec.DrainSeconds)
            {
                return;
            }

            try
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Collect(List<LoadClient> clients, LoadPlan plan, LoadResult result, long start, double cpuSeconds)
    {
        long lastReceive = start;
        foreach (var client in clients)
        {
            result.Sent += client.Sent;
            result.Received += client.Received - client.Echoes;
            result.Echoes += client.Echoes;
            result.Duplicates += client.Duplicates;
            result.OrderViolations += client.OrderViolations;
            result.Unexpected += client.Unexpected;
            result.NonClosingErrors += client.NonClosingErrors;
            lastReceive = Math.Max(lastReceive, client.LastReceiveTicks);
            long expected = client.Expected(clients);
            if (client.ServerReason is { } reason)
            {
                result.Disconnected.Add($"{client.UserName}: {reason} at +{Clock.ToSeconds(client.ServerReasonTicks - start):0.00}s (missed {expected - client.Unique} of {expected})");
                continue;
            }

            result.Expected += expected;
            result.Loss += expected - client.Unique;
            if (client.NonClosingErrors > 0)
            {
                result.Extra.Add(($"errors at {client.UserName}", $"{client.NonClosingErrors} x {client.LastNonClosingError}"));
            }
        }

        result.DeliverySeconds = Clock.ToSeconds(lastReceive - start);
        result.DeliveriesPerSecond = result.Received / Math.Max(result.DeliverySeconds, 1e-9);
        if (plan.HasPrivate)
        {
            // Echoes are not counted, so with private messages only every delivery is one routed message.
            result.RoutedPerSecond = plan.HasPublic ? double.NaN : result.DeliveriesPerSecond;
        }

        var latency = State.Latency;
        if (latency.Count > 0)
        {
            result.LatencyP50Ms = latency.Percentile(50) / 1000.0;
            result.LatencyP99Ms = latency.Percentile(99) / 1000.0;
            result.LatencyMaxMs = latency.Max / 1000.0;
        }

        if (Server is { } server)
        {
            result.ServerCpuSeconds = cpuSeconds;
            result.CpuMicrosPerDelivery = cpuSeconds * 1e6 / Math.Max(1, result.Received);
            result.ServerPeakRss = server.PeakRssBytes();
        }

        if (result.Loss != 0)
        {
            result.Failures.Add($"loss {result.Loss} of {result.Expected} expected deliveries");
        }

        if (result.Duplicates != 0)
        {
            result.Failures.Add($"{result.Duplicates} duplicate deliveries");
        }

        if (result.OrderViolations != 0)
        {
            result.Failures.Add($"{result.OrderViolations} per-sender order violations");
        }

        if (result.Unexpected != 0)
        {
            result.Failures.Add($"{result.Unexpected} deliveries that no sender of this run sent to that client");
        }

        if (result.Disconnected.Count != 0)
        {
            result.Failures.Add($"{result.Disconnected.Count} clients were disconnected by the server");
        }
    }
}
