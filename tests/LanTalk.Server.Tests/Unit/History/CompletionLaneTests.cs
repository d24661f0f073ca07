using System.Collections.Concurrent;
using System.Diagnostics;
using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>Completions run in commit order, inline while cheap and on the lane's worker once they are not.</summary>
[TestFixture]
public sealed class CompletionLaneTests
{
    [Test]
    public async Task Groups_complete_in_commit_order_across_inline_and_lane_runs()
    {
        var lane = new CompletionLane();
        var order = new ConcurrentQueue<int>();
        var threads = new ConcurrentDictionary<int, bool>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int groups = 300;
        int next = 0;
        for (int g = 0; g < groups; g++)
        {
            // Every 25th group is expensive (a fan-out to hundreds), which sends the next groups to the lane.
            var group = Enumerable.Range(0, 3).Select(i => (WriteOp)new RecordingOp(next++, order, threads, expensive: g % 25 == 0 && i == 0)).ToList();
            if (g == groups - 1)
            {
                group.Add(new RecordingOp(-1, order, threads, expensive: false, done: last));
            }

            lane.Complete(group);
        }

        await last.Task.WaitAsync(TimeSpan.FromSeconds(30));
        order.Where(i => i >= 0).Should().Equal(Enumerable.Range(0, groups * 3), "commit order is the fan-out order");
        threads.Keys.Should().Contain(Environment.CurrentManagedThreadId, "cheap groups complete inline");
        threads.Keys.Should().HaveCountGreaterThan(1, "groups behind an expensive one go to the lane's worker");
    }

    private sealed class RecordingOp(int index, ConcurrentQueue<int> order, ConcurrentDictionary<int, bool> threads, bool expensive, TaskCompletionSource? done = null) : WriteOp
    {
        public override void Execute(HistoryWriter writer)
        {
        }

        public override void Complete()
        {
            threads[Environment.CurrentManagedThreadId] = true;
            if (expensive)
            {
                // Costs more than the inline budget, as a big fan-out does; CPU work, not a sleep.
                var clock = Stopwatch.StartNew();
                while (clock.ElapsedTicks * 2 < Stopwatch.Frequency / 500)
                {
                    Thread.SpinWait(100);
                }
            }

            order.Enqueue(index);
            done?.TrySetResult();
        }

        public override void Fail(AppendStatus status, Exception? error) => Complete();
    }
}
