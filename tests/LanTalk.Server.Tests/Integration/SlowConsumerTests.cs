using System.Diagnostics;

namespace LanTalk.Server.Tests.Integration;

/// <summary>A peer that stops reading costs only itself: it is cut off, and nobody else loses a message.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SlowConsumerTests
{
    [Test]
    public async Task Client_that_stops_reading_is_disconnected_while_the_others_receive_everything()
    {
        await using var server = await TestServer.StartAsync(
            s => s with { OutboundQueueFrames = 64, MessageRatePerSecond = 1_000_000, MessageBurst = 1_000_000 },
            "flood1", "flood2", "watcher", "stalled");
        var floods = new[] { await server.LoginProbeAsync("flood1"), await server.LoginProbeAsync("flood2") };
        var watcher = await server.LoginProbeAsync("watcher");
        // A small receive window, so the kernel buffers little and the server's queue is what fills up.
        await using var stalled = await server.LoginRawAsync("stalled", socket => socket.ReceiveBufferSize = 4096);
        await watcher.Joined.WaitForAsync(n => n == "stalled", "the stalled client is online");
        // Cut off promptly: well inside the two 2 s close lingers that a peer which cannot read used to sit out.
        var stalledLeft = watcher.Left.WaitForAsync(n => n == "stalled", "the stalled client is disconnected", TimeSpan.FromSeconds(3));
        try
        {
            var good = floods.Append(watcher).ToArray();
            var sent = await Task.WhenAll(floods.Select(f => FloodUntilAsync(f, good, stalledLeft)));

            await stalledLeft;
            foreach (var receiver in floods.Append(watcher))
            {
                int total = sent.Sum();
                var inbox = await receiver.Messages.WaitForCountAsync(total, $"{receiver} gets all {total} messages");
                inbox.Should().HaveCount(total);
                foreach (var (flood, count) in floods.Zip(sent))
                {
                    inbox.Where(m => m.From == flood.Client.UserName).Select(m => m.Tag)
                        .Should().Equal(Enumerable.Range(1, count).Select(i => (uint)i), $"{receiver} gets {flood}'s messages in order");
                }
            }

            server.Server.OnlineSessions.Select(s => s.UserName).Should().BeEquivalentTo("flood1", "flood2", "watcher");
            floods.Append(watcher).Should().AllSatisfy(p => p.Client.IsConnected.Should().BeTrue());
        }
        finally
        {
            foreach (var probe in floods.Append(watcher))
            {
                await probe.Client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Sends 4 KB messages in batches until the stalled client is gone. Before the next batch every good client must
    /// have the last one, so their queues hold at most a batch per flooder (32 frames) and only the stalled one overflows.
    /// </summary>
    private static async Task<int> FloodUntilAsync(ClientProbe flood, ClientProbe[] good, Task stalledLeft)
    {
        string text = new('x', 4000);
        uint tag = 0;
        var watch = Stopwatch.StartNew();
        while (!stalledLeft.IsCompleted)
        {
            watch.Elapsed.Should().BeLessThan(Wait.Timeout, "the stalled client should be cut off long before this");
            for (int i = 0; i < 16; i++)
            {
                flood.Client.PostMessage(null, text, ++tag);
            }

            uint last = tag;
            await Task.WhenAll(good.Select(g => g.Messages.WaitForAsync(m => m.From == flood.Client.UserName && m.Tag == last, $"{g} gets {flood}'s #{last}")));
        }

        return (int)tag;
    }
}
