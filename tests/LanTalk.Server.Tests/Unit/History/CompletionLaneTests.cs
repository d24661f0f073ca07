using System.Collections.Concurrent;
using System.Diagnostics;
using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>Completions run exactly once each: inline while cheap, on pool threads after an expensive one.</summary>
[TestFixture]
public sealed class CompletionLaneTests
{
    [Test]
    public async Task Every_completion_runs_once_inline_while_cheap_and_on_the_pool_after_an_expensive_one()
    {
        var lane = new CompletionLane();
        var completed = new ConcurrentDictionary<int, int>();
        var threads = new ConcurrentDictionary<int, bool>();
        const int groups = 300;
        var all = new CountdownEvent(groups * 3);
        int next = 0;
        for (int g = 0; g < groups; g++)
        {
            // Every 25th group is expensive (a fan-out to hundreds), which sends the next group's completions to the pool.
            var group = Enumerable.Range(0, 3).Select(i => (WriteOp)new RecordingOp(next++, completed, threads, all, expensive: g % 25 == 0 && i == 0)).ToList();
            lane.Complete(group);
        }

        (await Task.Run(() => all.Wait(TimeSpan.FromSeconds(30)))).Should().BeTrue("every completion ran");
        completed.Should().HaveCount(groups * 3).And.OnlyContain(pair => pair.Value == 1, "each exactly once");
        threads.Keys.Should().Contain(Environment.CurrentManagedThreadId, "cheap groups complete inline");
        threads.Keys.Should().HaveCountGreaterThan(1, "completions after an expensive group go to the pool");
    }

    private sealed class RecordingOp(int index, ConcurrentDictionary<int, int> completed, ConcurrentDictionary<int, bool> threads, CountdownEvent all, bool expensive) : WriteOp
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
                while (clock.ElapsedTicks * 1000 < Stopwatch.Frequency)
                {
                    Thread.SpinWait(100);
                }
            }

            completed.AddOrUpdate(index, 1, (_, n) => n + 1);
            all.Signal();
        }

        public override void Fail(AppendStatus status, Exception? error) => Complete();
    }
}
