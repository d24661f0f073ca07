using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

internal sealed partial class ScenarioRunner
{
    /// <summary>Rooms the history-join workers cycle through, and the history each one is seeded with (HistoryOnJoin).</summary>
    private const int JoinRooms = 20;
    private const int JoinRoomHistory = 50;

    /// <summary>
    /// history-join: 20 rooms with 50 messages each; 32 v3 sessions join a room, wait for the whole replay and its
    /// HistoryEnd, leave, and take the next room, for --duration seconds (5). Every replay must hold exactly the
    /// room's 50 messages in id order. Target: >= 2,000 joins/s.
    /// </summary>
    private async Task<List<LoadResult>> HistoryJoinAsync(CancellationToken cancellationToken)
    {
        int workers = options.Clients ?? 32;
        double duration = options.Duration ?? 5;
        return await WithServerAsync(workers + 1, Settings(workers + 1, workers), productionUser: false, async runner =>
        {
            var result = new LoadResult { Name = _name, Clients = workers };
            var target = runner.Target;
            // The seeder stays in every room for the run: a room goes away with its last member.
            await using var seeder = await LoginV3Async(target, target.Users[workers]).ConfigureAwait(false);
            var expected = await SeedRoomsAsync(seeder).ConfigureAwait(false);
            var histogram = new LatencyHistogram();
            long joins = 0;
            var failures = new List<string>();
            double cpuStart = runner.Server?.CpuSeconds() ?? double.NaN;
            long start = Clock.Now;
            long stopAt = start + Clock.FromSeconds(duration);
            using (new Progress(_name, () => $"joins {Volatile.Read(ref joins):N0}", common.Progress))
            {
                await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
                {
                    await using var peer = await LoginV3Async(target, target.Users[w]).ConfigureAwait(false);
                    uint tag = 0;
                    for (int round = w; Clock.Now < stopAt && !cancellationToken.IsCancellationRequested; round++)
                    {
                        string room = RoomName(round % JoinRooms);
                        long t0 = Clock.Now;
                        string? problem = await JoinOnceAsync(peer, room, ++tag, expected[room]).ConfigureAwait(false);
                        histogram.Record((long)Clock.ToMicroseconds(Clock.Now - t0), w);
                        if (problem is not null)
                        {
                            lock (failures)
                            {
                                failures.Add($"{target.Users[w]} joining {room}: {problem}");
                            }

                            return;
                        }

                        Interlocked.Increment(ref joins);
                        await peer.SendAsync(ChatCommand.LeaveRoom, new RoomRequestPacket(++tag), room).ConfigureAwait(false);
                        var left = await peer.ReadUntilAsync(r => r.Command == ChatCommand.LeaveRoom && r.Target == room, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                        if (left.Kind != ReplyKind.Frame)
                        {
                            lock (failures)
                            {
                                failures.Add($"{target.Users[w]} leaving {room}: {left}");
                            }

                            return;
                        }
                    }
                }, cancellationToken))).ConfigureAwait(false);
            }

            double seconds = Clock.ToSeconds(Clock.Now - start);
            result.Connected = workers;
            result.ConnectSeconds = seconds;
            result.LoginsPerSecond = joins / seconds;
            result.ConnectP50Ms = histogram.Percentile(50) / 1000.0;
            result.ConnectP99Ms = histogram.Percentile(99) / 1000.0;
            result.Extra.Add(("joins", $"{joins:N0} in {seconds:0.0} s by {workers} sessions: {joins / seconds:N0}/s, each with a {JoinRoomHistory}-message replay (join + replay + HistoryEnd; then a leave)"));
            result.Extra.Add(("join to HistoryEnd", $"p50 {result.ConnectP50Ms:0.00} ms, p99 {result.ConnectP99Ms:0.00} ms"));
            if (runner.Server is { } server)
            {
                double cpu = server.CpuSeconds() - cpuStart;
                result.ServerCpuSeconds = cpu;
                result.Extra.Add(("server CPU per join (+ leave)", $"{cpu * 1e6 / Math.Max(1, joins):0} us"));
                result.ServerPeakRss = server.PeakRssBytes();
            }

            result.Failures.AddRange(failures.Take(10));
            result.Target(">= 2,000 joins/s with a 50-message replay", joins / seconds >= 2000, $"{joins / seconds:N0}/s");
            result.Target("every replay is the room's 50 messages in order", failures.Count == 0, $"{failures.Count} bad");
            return [result];
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string RoomName(int i) => $"hist{i}";

    /// <summary>Creates the rooms and fills each with 50 messages (waiting for every echo); returns each room's ids.</summary>
    private static async Task<Dictionary<string, List<ulong>>> SeedRoomsAsync(RawPeer seeder)
    {
        var ids = new Dictionary<string, List<ulong>>(StringComparer.Ordinal);
        uint tag = 0;
        for (int r = 0; r < JoinRooms; r++)
        {
            string room = RoomName(r);
            await seeder.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(++tag), room).ConfigureAwait(false);
            uint joinTag = tag;
            var joined = await seeder.ReadUntilAsync(x => x.Packet is HistoryEndPacket end && end.Tag == joinTag || x.Packet is ErrorPacket { Tag: var t } && t == joinTag, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            if (joined.Packet is not HistoryEndPacket)
            {
                throw new HarnessException($"history-join: could not create room {room}: {joined}");
            }

            var list = new List<ulong>(JoinRoomHistory);
            for (int m = 0; m < JoinRoomHistory; m++)
            {
                await seeder.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(++tag, $"{room} message {m}"), room).ConfigureAwait(false);
                uint sent = tag;
                var echo = await seeder.ReadUntilAsync(x => x.Packet is ChatMessagePacket c && c.Tag == sent || x.Packet is ErrorPacket { Tag: var t } && t == sent, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
                if (echo.Packet is not ChatMessagePacket message)
                {
                    throw new HarnessException($"history-join: message {m} to {room} was not acknowledged: {echo}");
                }

                list.Add(message.MessageId);
            }

            ids[room] = list;
        }

        return ids;
    }

    /// <summary>One JoinRoom, read to its HistoryEnd; null when the replay was exactly <paramref name="expected"/>, else what was wrong.</summary>
    private static async Task<string?> JoinOnceAsync(RawPeer peer, string room, uint tag, List<ulong> expected)
    {
        await peer.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(tag), room).ConfigureAwait(false);
        var replay = new List<ulong>(expected.Count);
        while (true)
        {
            var reply = await peer.ReadAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            switch (reply.Packet)
            {
                case null:
                    return reply.ToString();
                case ChatMessagePacket message when message.Flags.HasFlag(MessageMarks.History) && reply.Target == room:
                    replay.Add(message.MessageId);
                    break;
                case ErrorPacket error when error.Tag == tag:
                    return $"{error.Code}: {error.Text}";
                case HistoryEndPacket end when end.Tag == tag:
                    return replay.SequenceEqual(expected) && end.Count == expected.Count
                        ? null
                        : $"replay {replay.Count} messages ({string.Join(',', replay.Take(3))}...), HistoryEnd count {end.Count}; expected the room's {expected.Count}";
            }
        }
    }

    private static async Task<RawPeer> LoginV3Async(ServerTarget target, string user)
    {
        var peer = await RawPeer.ConnectAsync(target, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await peer.HelloAsync(3).ConfigureAwait(false);
            var login = await peer.LoginAsync(user, target.Users.Password).ConfigureAwait(false);
            if (login.Command != ChatCommand.UserAuthenticated)
            {
                throw new HarnessException($"'{user}' could not log in with version 3: {login}");
            }

            return peer;
        }
        catch
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
