using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit.Net;

/// <summary>After a storm of connections, and only then, the server gives the storm's leftovers back to the machine.</summary>
public sealed class HeapTrimTests
{
    private static HeapTrim AfterStorm(int connections, long lastAt) => Storm(new HeapTrim(), connections, lastAt);

    private static HeapTrim Storm(HeapTrim trim, int connections, long lastAt)
    {
        for (int i = 0; i < connections; i++)
        {
            trim.Note(lastAt);
        }

        return trim;
    }

    // The sweep's first look at the frame count has no rate to go by; a second before, nothing was written.
    private static HeapTrim QuietBefore(HeapTrim trim, long now)
    {
        trim.ChatIsQuiet(now - 1_000, 0);
        return trim;
    }

    [Test]
    public void A_storm_is_trimmed_once_no_connection_came_or_went_for_the_quiet_time()
    {
        var trim = AfterStorm(HeapTrim.MinChurn, lastAt: 10_000);

        trim.IsDue(10_000 + HeapTrim.QuietMs - 1).Should().BeFalse("the storm may only be pausing between waves");
        trim.IsDue(10_000 + HeapTrim.QuietMs).Should().BeTrue();
    }

    [Test]
    public void Fewer_connections_than_a_storm_are_not_worth_a_full_collection()
    {
        var trim = AfterStorm(HeapTrim.MinChurn - 1, lastAt: 10_000);

        trim.IsDue(60_000).Should().BeFalse();
    }

    [Test]
    public void A_connection_during_the_quiet_time_starts_it_again()
    {
        var trim = AfterStorm(HeapTrim.MinChurn, lastAt: 10_000);
        trim.Note(11_000);

        trim.IsDue(10_000 + HeapTrim.QuietMs).Should().BeFalse();
        trim.IsDue(11_000 + HeapTrim.QuietMs).Should().BeTrue();
    }

    [Test]
    public void A_trim_runs_once_per_storm_and_returns_the_memory_the_storm_left_behind()
    {
        var trim = new HeapTrim();
        // 128 MB on the large-object heap, alive through a collection and then dropped: only a full collection
        // frees it, and only a decommitting one gives it back.
        var left = new List<byte[]>();
        for (int i = 0; i < 128; i++)
        {
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)i);
            left.Add(block);
        }

        GC.Collect();
        long committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        left.Clear();
        Storm(trim, HeapTrim.MinChurn, lastAt: 10_000);
        QuietBefore(trim, 10_000 + HeapTrim.QuietMs);

        trim.TryTrim(10_000 + HeapTrim.QuietMs, 0).Should().BeTrue();

        GC.GetGCMemoryInfo().TotalCommittedBytes.Should().BeLessThan(committed - (64L << 20), "the dropped 128 MB are given back");
        trim.TryTrim(60_000, 0).Should().BeFalse("the storm's count was spent on the trim");
    }

    [Test]
    public void A_storm_that_left_little_behind_is_not_worth_a_pause_and_is_forgotten()
    {
        var trim = QuietBefore(AfterStorm(HeapTrim.MinChurn, lastAt: 10_000), 10_000 + HeapTrim.QuietMs);

        trim.TryTrim(10_000 + HeapTrim.QuietMs, 0).Should().BeFalse("the heap did not grow by 64 MB");
        trim.IsDue(60_000).Should().BeFalse("the next storm is counted afresh");
    }

    [Test]
    public void A_due_trim_waits_while_the_chat_is_busy_and_goes_ahead_once_it_is_quiet()
    {
        long due = 10_000 + HeapTrim.QuietMs;
        var trim = QuietBefore(AfterStorm(HeapTrim.MinChurn, lastAt: 10_000), due);
        long busySecond = HeapTrim.QuietFramesPerSecond + 1;

        // Each call below would trim if it went ahead; going ahead spends the storm (IsDue turns false), as the test
        // before this one shows, whether or not the heap grew enough to be worth the pause.
        trim.TryTrim(due, busySecond).Should().BeFalse();
        trim.IsDue(due).Should().BeTrue("a busy chat must not be paused; the trim waits");
        trim.TryTrim(due + 1_000, 2 * busySecond).Should().BeFalse();
        trim.IsDue(due + 1_000).Should().BeTrue("still busy");

        trim.TryTrim(due + 2_000, 2 * busySecond + HeapTrim.QuietFramesPerSecond).Should().BeFalse("the heap did not grow by 64 MB");
        trim.IsDue(due + 2_000).Should().BeFalse("a quiet second let the trim go ahead");
    }

    [Test]
    public void A_trim_that_waited_for_a_quiet_chat_for_the_longest_wait_goes_ahead_anyway()
    {
        long due = 10_000 + HeapTrim.QuietMs;
        var trim = QuietBefore(AfterStorm(HeapTrim.MinChurn, lastAt: 10_000), due);
        long perSecond = 10 * HeapTrim.QuietFramesPerSecond;
        long frames = 0;
        for (long at = due; at < due + HeapTrim.MaxWaitMs; at += 1_000)
        {
            frames += perSecond;
            trim.TryTrim(at, frames);
        }

        trim.IsDue(due + HeapTrim.MaxWaitMs).Should().BeTrue("it waited up to the longest wait");
        trim.TryTrim(due + HeapTrim.MaxWaitMs, frames + perSecond);
        trim.IsDue(due + HeapTrim.MaxWaitMs).Should().BeFalse("after the longest wait the trim goes ahead in a busy chat");
    }

    [Test]
    public void The_chat_is_quiet_at_the_rate_limit_and_busy_above_it_and_unknown_at_the_first_look()
    {
        var trim = new HeapTrim();

        trim.ChatIsQuiet(1_000, 0).Should().BeFalse("the first look has no rate to go by");
        trim.ChatIsQuiet(3_000, 2 * HeapTrim.QuietFramesPerSecond).Should().BeTrue("at the limit over 2 s");
        trim.ChatIsQuiet(4_000, 3 * HeapTrim.QuietFramesPerSecond + 1).Should().BeFalse("one frame over in this second");
        trim.ChatIsQuiet(5_000, 3 * HeapTrim.QuietFramesPerSecond).Should().BeTrue("a count read short is no negative rate");
    }
}
