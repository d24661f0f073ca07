using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>HistoryDays and HistoryMaxMessagesPerRoom, applied by the background pruner in bounded batches.</summary>
[TestFixture]
public sealed class RetentionTests
{
    [Test]
    public async Task Messages_older_than_HistoryDays_go_but_an_undelivered_offline_message_stays()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryDays = 7, OfflineMessageDays = 30 });
        // Appends are queued in call order, so starting them all at once keeps the order and shares the commits.
        await Task.WhenAll(Enumerable.Range(0, 1200).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"old {i}")));

        var waiting = await h.Store.AppendPrivateAsync("alice", "bob", "still waiting", queueForDelivery: true);
        var delivered = await h.Store.AppendPrivateAsync("alice", "carol", "delivered long ago", queueForDelivery: true);
        await h.Store.MarkDeliveredAsync("carol", [delivered.Id]);
        h.Clock.Now = h.Clock.Now.AddDays(8);
        await h.Store.AppendRoomAsync("lobby", "alice", "recent");

        var result = await h.Store.PruneAsync();

        result.ByAge.Should().Be(1201, "1,200 room messages (more than two batches) and the delivered private one");
        h.Store.Latest("lobby", 10).Select(m => m.Text).Should().Equal("recent");
        h.Store.PendingFor("bob").Select(m => m.Id).Should().Equal(waiting.Id);
        h.Store.Find(delivered.Id).Should().BeNull();
        h.Store.Search("old", ["lobby"], 10).Should().BeEmpty("the full-text index forgets deleted messages");
    }

    [Test]
    public async Task A_wall_clock_set_far_ahead_deletes_nothing_by_age()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryDays = 7, OfflineMessageDays = 30 });
        await h.Store.AppendRoomAsync("lobby", "alice", "kept");
        var stored = await h.Store.AppendPrivateAsync("alice", "bob", "waiting", queueForDelivery: true);

        // Someone sets the system clock 400 days ahead: no time passed, so nothing is old.
        h.Clock.Jump(TimeSpan.FromDays(400));
        var jumped = await h.Store.PruneAsync();

        jumped.Total.Should().Be(0, "retention by age must not delete by a date the clock jumped to");
        h.Store.Latest("lobby", 10).Select(m => m.Text).Should().Equal("kept");
        h.Store.Find(stored.Id).Should().NotBeNull("nor is an undelivered offline message expired by it");
        h.Store.PendingFor("bob").Select(m => m.Id).Should().Equal([stored.Id], "nor withheld from its recipient at login");
    }

    [Test]
    public async Task A_clock_far_ahead_since_the_start_deletes_nothing_until_a_newer_message_is_stored()
    {
        // The jump guard measures jumps while running; a restart with the clock 400 days ahead is no jump to it, and
        // its first pass deleted the whole history and the offline queue (fault injection, 2026-12-06).
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryDays = 7, OfflineMessageDays = 30 });
        await h.Store.AppendRoomAsync("lobby", "alice", "kept");
        var stored = await h.Store.AppendPrivateAsync("alice", "bob", "waiting", queueForDelivery: true);

        var store = await h.ReopenAsync(() => h.Clock.Now = h.Clock.Now.AddDays(400));
        var first = await store.PruneAsync();

        first.Total.Should().Be(0, "every message older than the cutoff means the clock is more likely wrong than the history all stale");
        store.Latest("lobby", 10).Select(m => m.Text).Should().Equal("kept");
        store.PendingFor("bob").Select(m => m.Id).Should().Equal([stored.Id], "nor is the waiting message withheld or expired");

        await store.AppendRoomAsync("lobby", "alice", "newer");
        var resumed = await store.PruneAsync();

        resumed.ExpiredOffline.Should().Be(1, "a newer message confirms the clock, and retention resumes");
        store.Latest("lobby", 10).Select(m => m.Text).Should().Equal("newer");
    }

    [Test]
    public async Task A_room_keeps_only_its_newest_HistoryMaxMessagesPerRoom_messages()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryMaxMessagesPerRoom = 100 });
        // Appends are queued in call order, so starting them all at once keeps the order and shares the commits.
        await Task.WhenAll(Enumerable.Range(0, 750).Select(i => h.Store.AppendRoomAsync("busy", "alice", $"b{i}")));

        await h.Store.AppendRoomAsync("quiet", "bob", "q0");

        var result = await h.Store.PruneAsync();

        result.ByRoomCap.Should().Be(650);
        var kept = h.Store.Latest("busy", 1000);
        kept.Should().HaveCount(100);
        kept[0].Text.Should().Be("b650");
        kept[^1].Text.Should().Be("b749");
        h.Store.Latest("quiet", 10).Should().ContainSingle();

        // Later passes look only at rooms written since the last one.
        for (int i = 750; i < 760; i++)
        {
            await h.Store.AppendRoomAsync("busy", "alice", $"b{i}");
        }

        (await h.Store.PruneAsync()).ByRoomCap.Should().Be(10);
        h.Store.Latest("busy", 1).Single().Text.Should().Be("b759");
    }

    [Test]
    public async Task A_delete_that_spends_its_write_budget_hands_the_writer_back_and_the_next_batch_goes_on_after_it()
    {
        // A zero budget stops every delete after one row: each row is its own transaction, so appends queued behind the
        // pruner wait for one row at most, and the cursor must still take every row exactly once.
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryMaxMessagesPerRoom = 100 });
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => h.Store.AppendRoomAsync("busy", "alice", $"b{i}")));
        h.Store.Pruner.WriteBudget = TimeSpan.Zero;
        long before = h.Store.Transactions;

        var result = await h.Store.PruneAsync();

        result.ByRoomCap.Should().Be(200);
        (h.Store.Transactions - before).Should().BeGreaterThanOrEqualTo(200, "one row per delete");
        var kept = h.Store.Latest("busy", 1000);
        kept.Select(m => m.Text).Should().Equal(Enumerable.Range(200, 100).Select(i => $"b{i}"));
        h.Store.Search("b199", ["busy"], 10).Should().BeEmpty("the full-text index forgot every deleted row");
    }

    [Test]
    public async Task The_pruner_rests_as_long_as_its_batch_kept_the_writer_busy_commit_included()
    {
        // Each batch a row (a zero budget), and each commit 50 ms of the store's clock, as on a slow disk: the delete
        // itself takes microseconds, so resting only that long left the writer to the pruner nearly all the time.
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryMaxMessagesPerRoom = 100 });
        await Task.WhenAll(Enumerable.Range(0, 103).Select(i => h.Store.AppendRoomAsync("busy", "alice", $"b{i}")));
        h.Store.Pruner.WriteBudget = TimeSpan.Zero;
        var rests = new System.Collections.Concurrent.ConcurrentQueue<TimeSpan>();
        h.Store.Pruner.Rest = (time, _) =>
        {
            rests.Enqueue(time);
            return Task.CompletedTask;
        };
        h.Store.AfterCommit = () => h.Clock.Now += TimeSpan.FromMilliseconds(50);

        var result = await h.Store.PruneAsync();

        result.ByRoomCap.Should().Be(3);
        rests.Should().HaveCount(3).And.OnlyContain(rest => rest >= TimeSpan.FromMilliseconds(50), "the commit is writer time the batch caused");
    }

    [Test]
    public async Task Zero_turns_both_limits_off()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryDays = 0, HistoryMaxMessagesPerRoom = 0 });
        for (int i = 0; i < 20; i++)
        {
            await h.Store.AppendRoomAsync("lobby", "alice", $"m{i}");
        }

        h.Clock.Now = h.Clock.Now.AddYears(5);

        (await h.Store.PruneAsync()).Total.Should().Be(0);
        h.Store.Stats().Messages.Should().Be(20);
    }

    [Test]
    public async Task A_pass_never_deletes_a_message_appended_while_it_runs()
    {
        // The race that once lost an acknowledged message: the age pass found no recent row, bounded its delete
        // by "everything", and then deleted what was appended meanwhile. Each round ages everything stored so
        // far, so every pass starts with no recent row; 100 rounds make the overlap certain.
        await using var h = new HistoryFixture(ServerSettings.Default);
        for (int i = 0; i < 100; i++)
        {
            h.Clock.Now = h.Clock.Now.AddDays(ServerSettings.Default.HistoryDays + 1);
            var prune = Task.Run(() => h.Store.PruneAsync());
            var appended = await h.Store.AppendRoomAsync("lobby", "alice", $"m{i}");
            await prune;

            appended.IsStored.Should().BeTrue();
            h.Store.Find(appended.Id).Should().NotBeNull($"round {i}: a message newer than HistoryDays was deleted by the pass it raced");
        }
    }
}
