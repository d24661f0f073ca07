using System.Collections.Concurrent;
using System.Diagnostics;
using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>Completions run exactly once each: inline while cheap, on pool threads once a group is expected to be expensive.</summary>
[TestFixture]
public sealed class CompletionLaneTests
{
    [Test]
    public void Every_completion_runs_once_inline_while_cheap_and_on_the_pool_after_an_expensive_one()
    {
        var lane = new CompletionLane();
        int writer = Environment.CurrentManagedThreadId;
        var completed = new ConcurrentDictionary<int, int>();
        const int groups = 100;
        var perGroupThreads = Enumerable.Range(0, groups).Select(_ => new ConcurrentDictionary<int, bool>()).ToArray();
        int next = 0;
        for (int g = 0; g < groups; g++)
        {
            // Every 25th group is expensive (a fan-out to hundreds), which sends the next group's completions to the
            // pool. As on the writer, the next group comes after this one's completions ran (a commit takes that
            // long): handing all groups over at once would race the pool's first measurement.
            var done = new CountdownEvent(3);
            var group = Enumerable.Range(0, 3).Select(i => (WriteOp)new RecordingOp(next++, completed, perGroupThreads[g], done, expensive: g % 25 == 0 && i == 0)).ToList();
            lane.Complete(group);
            done.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue($"group {g} completed");
        }

        completed.Should().HaveCount(groups * 3).And.OnlyContain(pair => pair.Value == 1, "each exactly once");
        perGroupThreads[0].Keys.Should().Equal([writer], "nothing was measured yet, so the first group completes inline");
        for (int g = 0; g < groups; g += 25)
        {
            perGroupThreads[g + 1].Keys.Should().NotContain(writer, $"group {g} was expensive, so group {g + 1} goes to the pool");
        }

        // A pool completion records the cheap cost just after its last completion signalled, so the group right after
        // it may still see the old figure, and a preempted inline group measures itself expensive: allow a few.
        Enumerable.Range(5, 20).Count(g => perGroupThreads[g].Keys.SequenceEqual([writer])).Should().BeGreaterThanOrEqualTo(15, "cheap groups complete inline");
    }

    [Test]
    public void A_big_group_of_cheap_completions_never_runs_inline_once_its_cost_was_measured()
    {
        // 200 completions of about 20 µs each cost 4 ms: more than the inline budget, though each one alone is cheap.
        // The first group measures the cost per completion; every later group must go to the pool. Judging by the
        // last pool work item alone (one cheap completion) used to send every other big group inline on the writer.
        var lane = new CompletionLane();
        int writer = Environment.CurrentManagedThreadId;
        var completed = new ConcurrentDictionary<int, int>();
        const int groups = 6;
        const int size = 200;
        var perGroupThreads = Enumerable.Range(0, groups).Select(_ => new ConcurrentDictionary<int, bool>()).ToArray();
        int next = 0;
        for (int g = 0; g < groups; g++)
        {
            // As on the writer, the next group comes after this one's completions ran (a commit takes that long).
            var done = new CountdownEvent(size);
            var group = Enumerable.Range(0, size).Select(_ => (WriteOp)new RecordingOp(next++, completed, perGroupThreads[g], done, expensive: false, spinMicros: 20)).ToList();
            lane.Complete(group);
            done.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue($"group {g} completed");
        }

        completed.Should().HaveCount(groups * size).And.OnlyContain(pair => pair.Value == 1, "each exactly once");
        perGroupThreads[0].Keys.Should().Equal([writer], "nothing was measured yet, so the first group completes inline");
        for (int g = 1; g < groups; g++)
        {
            perGroupThreads[g].Keys.Should().NotContain(writer, $"group {g} costs about 4 ms, eight times the inline budget");
        }
    }

    [Test]
    public void A_barrier_runs_only_after_every_completion_given_to_the_pool_before_it()
    {
        // Three groups of 200 completions of about 20 µs each: after the first measures the cost, the rest go to the
        // pool in chunks that finish in any order. The barrier must wait for all of them, not for the first to end.
        var lane = new CompletionLane();
        var completed = new ConcurrentDictionary<int, int>();
        var threads = new ConcurrentDictionary<int, bool>();
        const int size = 200;
        var warmUp = new CountdownEvent(size);
        lane.Complete(Enumerable.Range(0, size).Select(i => (WriteOp)new RecordingOp(i, completed, threads, warmUp, expensive: false, spinMicros: 20)).ToList());
        warmUp.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue("the first group completed");

        var rest = new CountdownEvent(2 * size);
        for (int g = 1; g <= 2; g++)
        {
            lane.Complete(Enumerable.Range(g * size, size).Select(i => (WriteOp)new RecordingOp(i, completed, threads, rest, expensive: false, spinMicros: 20)).ToList());
        }

        int completedAtBarrier = -1;
        using var barrier = new ManualResetEventSlim();
        lane.AfterDispatched(() =>
        {
            completedAtBarrier = completed.Count;
            barrier.Set();
        });

        barrier.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue("the barrier ran");
        completedAtBarrier.Should().Be(3 * size, "every completion dispatched before the barrier had run");
    }

    [Test]
    public void A_barrier_with_nothing_on_the_pool_runs_at_once_on_the_calling_thread()
    {
        var lane = new CompletionLane();
        int ranOn = -1;
        lane.AfterDispatched(() => ranOn = Environment.CurrentManagedThreadId);
        ranOn.Should().Be(Environment.CurrentManagedThreadId);
    }

    private sealed class RecordingOp(int index, ConcurrentDictionary<int, int> completed, ConcurrentDictionary<int, bool> threads, CountdownEvent all, bool expensive, int spinMicros = 0) : WriteOp
    {
        public override void Execute(HistoryWriter writer)
        {
        }

        public override void Complete()
        {
            threads[Environment.CurrentManagedThreadId] = true;
            if (spinMicros > 0)
            {
                var spin = Stopwatch.StartNew();
                while (spin.ElapsedTicks * 1_000_000 < spinMicros * Stopwatch.Frequency)
                {
                    Thread.SpinWait(10);
                }
            }

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
