using LanTalk.Core.Packets;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

internal sealed partial class ScenarioRunner
{
    /// <summary>The room a v2 session and a v3 session with an empty target talk in: the server's default DefaultRoom.</summary>
    private const string DefaultRoom = "lobby";

    /// <summary>
    /// durability: burst-32 into the default room; when 40 % of the messages are acknowledged the server gets SIGKILL,
    /// then it restarts on the same data directory, every sender sends once more, and the room's history is read
    /// back through the protocol. Every acknowledged message must be there exactly once with its acknowledged id.
    /// </summary>
    private async Task<List<LoadResult>> DurabilityAsync(CancellationToken cancellationToken)
    {
        if (common.Spawn is not { } exe)
        {
            throw new HarnessException("the durability scenario needs --spawn: it kills the server with SIGKILL and restarts it on the same data directory");
        }

        int senders = options.Clients ?? 32;
        int messages = options.Messages ?? 2000;
        int window = options.Window ?? 200;
        var setup = SpawnSetup(Settings(senders + 1, 64), senders + 1, productionUser: false);
        await using var server = await SpawnedServer.StartAsync(exe, setup, cancellationToken).ConfigureAwait(false);
        var result = new LoadResult { Name = _name, Clients = senders, Senders = senders };
        var list = Enumerable.Range(0, senders).Select(i => new DurabilitySender(server.Users[i])).ToList();
        try
        {
            await Task.WhenAll(list.Select(s => s.ConnectAsync(TargetOf(server), cancellationToken))).ConfigureAwait(false);
            result.Connected = senders;

            // The kill comes when 40 % of all messages are acknowledged: mid-burst, with a full window in flight.
            long threshold = (long)senders * messages * 4 / 10;
            long acknowledged = 0;
            var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var sender in list)
            {
                sender.Acknowledged = () =>
                {
                    if (Interlocked.Increment(ref acknowledged) >= threshold)
                    {
                        killNow.TrySetResult();
                    }
                };
            }

            long start = Clock.Now;
            var sending = Task.WhenAll(list.Select(s => Task.Run(() => s.SendAsync(0, messages, window, TimeSpan.FromSeconds(120)), cancellationToken)));
            bool midBurst = await Task.WhenAny(killNow.Task, sending).ConfigureAwait(false) == killNow.Task;
            await server.KillAsync().ConfigureAwait(false);
            double killedAfter = Clock.ToSeconds(Clock.Now - start);
            await sending.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            int sent = list.Sum(s => s.Sent);
            int acked = list.Sum(s => s.AcknowledgedCount);
            result.Extra.Add(("kill -9", $"after {killedAfter:0.00} s: {acked:N0} of {sent:N0} sent messages acknowledged, {sent - acked:N0} in flight"));
            result.Target("killed mid-burst (messages in flight)", midBurst && sent > acked, $"{sent - acked} in flight");
            if (!midBurst)
            {
                result.Failures.Add("the burst ended before 40 % of it was acknowledged, so the kill did not come mid-burst: the run proves nothing");
            }
            foreach (var sender in list)
            {
                sender.Acknowledged = null;
                await sender.DisposeAsync().ConfigureAwait(false);
            }

            long restartAt = Clock.Now;
            await server.RestartAsync(cancellationToken).ConfigureAwait(false);
            result.Extra.Add(("restart", $"listening again {Clock.ToSeconds(Clock.Now - restartAt):0.00} s after the start on the same data directory"));

            // Chat resumes: every sender reconnects and sends one more message, which must be acknowledged.
            var again = Enumerable.Range(0, senders).Select(i => new DurabilitySender(server.Users[i])).ToList();
            try
            {
                await Task.WhenAll(again.Select(s => s.ConnectAsync(TargetOf(server), cancellationToken))).ConfigureAwait(false);
                await Task.WhenAll(again.Select(s => s.SendAsync(messages, 1, 1, TimeSpan.FromSeconds(30)))).ConfigureAwait(false);
                int resumed = again.Count(s => s.AcknowledgedCount == 1);
                result.Target("after the restart every sender's next message is acknowledged", resumed == senders, $"{resumed} of {senders}");
                if (resumed != senders)
                {
                    result.Failures.Add($"chat did not resume after the restart: {resumed} of {senders} senders got their next message acknowledged");
                }
            }
            finally
            {
                foreach (var sender in again)
                {
                    await sender.DisposeAsync().ConfigureAwait(false);
                }
            }

            var stored = await HistoryReader.ReadRoomAsync(TargetOf(server), server.Users[senders], DefaultRoom).ConfigureAwait(false);
            Verify(result, list, again, stored);
            result.Sent = sent + senders;
            result.Echoes = acked + again.Sum(s => s.AcknowledgedCount);
        }
        finally
        {
            foreach (var sender in list)
            {
                await sender.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (server.HasExited)
        {
            result.Failures.Add($"the restarted server died (exit code {server.ExitCode}):\n{server.RecentOutput}");
        }
        else
        {
            bool graceful = await server.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            result.Extra.Add(("server stop", graceful ? $"exited on SIGTERM with code {server.ExitCode}" : "did not exit within 10 s of SIGTERM; killed"));
        }

        return [result];
    }

    private ServerTarget TargetOf(SpawnedServer server) =>
        new("127.0.0.1", server.Port, common.Transport, server.Users, server.Pid) { TrustedFingerprint = server.Fingerprint };

    /// <summary>Loss: an acknowledged message missing or stored under another id. Duplicates: any text stored twice (nobody resends).</summary>
    private static void Verify(LoadResult result, List<DurabilitySender> before, List<DurabilitySender> after, List<ChatMessagePacket> stored)
    {
        var byText = stored.GroupBy(m => m.Text, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        long loss = 0;
        long wrongId = 0;
        long acknowledged = 0;
        var examples = new List<string>();
        foreach (var sender in before.Concat(after))
        {
            foreach (var (sequence, id) in sender.Snapshot())
            {
                acknowledged++;
                string text = DurabilitySender.Text(sender.UserName, sequence);
                if (!byText.TryGetValue(text, out var copies))
                {
                    loss++;
                    if (examples.Count < 5)
                    {
                        examples.Add($"'{text}' (acknowledged as #{id}) is not in history");
                    }
                }
                else if (copies.All(c => c.MessageId != id))
                {
                    wrongId++;
                    if (examples.Count < 5)
                    {
                        examples.Add($"'{text}' was acknowledged as #{id} but is stored as #{copies[0].MessageId}");
                    }
                }
            }
        }

        long duplicates = byText.Values.Sum(c => c.Count - 1);
        long unacknowledgedStored = stored.Count - (acknowledged - loss) - duplicates;
        bool increasing = stored.Zip(stored.Skip(1)).All(p => p.First.MessageId < p.Second.MessageId);
        result.Loss = loss + wrongId;
        result.Duplicates = duplicates;
        result.Extra.Add(("history after the restart", $"{stored.Count:N0} messages; {acknowledged:N0} acknowledged, {unacknowledgedStored:N0} stored without an acknowledgement (allowed)"));
        result.Target("loss 0 (every acknowledged message in history with its id)", result.Loss == 0, $"{loss} missing, {wrongId} under another id");
        result.Target("duplicates 0", duplicates == 0, $"{duplicates}");
        result.Target("ids increase across the restart", increasing, increasing ? "yes" : "no");
        if (result.Loss > 0 || duplicates > 0 || !increasing)
        {
            result.Failures.Add($"durability broken: {loss} acknowledged message(s) lost, {wrongId} under another id, {duplicates} duplicate(s), ids increasing: {increasing}. {string.Join("; ", examples)}");
        }
    }
}
