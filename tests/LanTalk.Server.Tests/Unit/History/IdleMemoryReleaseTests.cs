using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// The writer's page cache is bounded (cache_size) but SQLite never frees it by itself: a server that stored a busy
/// afternoon's messages held the pages for months (RSS 22.6 -> 60.9 MB, not given back). An idle writer frees it.
/// </summary>
[TestFixture]
public sealed class IdleMemoryReleaseTests
{
    private const long MiB = 1024 * 1024;

    [Test]
    public async Task A_writer_idle_for_the_release_delay_frees_its_page_cache_and_writes_on_afterwards()
    {
        await using var h = new HistoryFixture();
        h.Store.IdleMemoryRelease = TimeSpan.FromMilliseconds(200);
        var released = new TaskCompletionSource<(long Before, long After)>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Only a release after the bulk below counts: one may come earlier, between the awaited groups.
        h.Store.MemoryReleased += (before, after) =>
        {
            if (before >= 4 * MiB)
            {
                released.TrySetResult((before, after));
            }
        };

        // About 6 MB of rows and index pages, all of which pass through the writer's cache.
        string text = new('x', 2000);
        for (int round = 0; round < 6; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"{round}-{i} {text}")));
        }

        var (cacheBefore, cacheAfter) = await released.Task.WaitAsync(TimeSpan.FromSeconds(20));

        cacheAfter.Should().BeLessThan(cacheBefore / 8, "an idle writer keeps next to none of the pages it wrote");
        var stored = await h.Store.AppendRoomAsync("lobby", "alice", "after the release");
        stored.Status.Should().Be(AppendStatus.Stored);
        h.Store.Latest("lobby", 2).Select(m => m.Text).Should().EndWith("after the release");
    }
}
