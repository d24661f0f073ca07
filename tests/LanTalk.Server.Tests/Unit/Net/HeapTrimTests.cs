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

        trim.TryTrim(10_000 + HeapTrim.QuietMs).Should().BeTrue();

        GC.GetGCMemoryInfo().TotalCommittedBytes.Should().BeLessThan(committed - (64L << 20), "the dropped 128 MB are given back");
        trim.TryTrim(60_000).Should().BeFalse("the storm's count was spent on the trim");
    }

    [Test]
    public void A_storm_that_left_little_behind_is_not_worth_a_pause_and_is_forgotten()
    {
        var trim = AfterStorm(HeapTrim.MinChurn, lastAt: 10_000);

        trim.TryTrim(10_000 + HeapTrim.QuietMs).Should().BeFalse("the heap did not grow by 64 MB");
        trim.IsDue(60_000).Should().BeFalse("the next storm is counted afresh");
    }
}
