using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>The pages the protocol sends: replay up to a join's mark, catch-up, paging back, conversations, search.</summary>
[TestFixture]
public sealed class HistoryPagingTests
{
    [Test]
    public async Task Paging_back_walks_a_room_oldest_first_and_counts_what_remains()
    {
        await using var h = new HistoryFixture();
        var ids = await AppendAsync(h, "lobby", 25);
        await AppendAsync(h, "other", 5);

        var newest = h.Store.BeforePage("Lobby", long.MaxValue, 10);
        var middle = h.Store.BeforePage("lobby", newest.Messages[0].Id, 10);
        var last = h.Store.BeforePage("lobby", middle.Messages[0].Id, 10);

        newest.Messages.Select(m => m.Id).Should().Equal(ids[15..]);
        newest.Remaining.Should().Be(15);
        middle.Messages.Select(m => m.Id).Should().Equal(ids[5..15]);
        middle.Remaining.Should().Be(5);
        last.Messages.Select(m => m.Id).Should().Equal(ids[..5]);
        last.Remaining.Should().Be(0);
    }

    [Test]
    public async Task Catch_up_returns_the_messages_after_an_id_up_to_the_mark_and_how_many_more_up_to_it()
    {
        await using var h = new HistoryFixture();
        var ids = await AppendAsync(h, "lobby", 30);

        var page = h.Store.AfterPage("lobby", ids[4], ids[24], 8);
        var all = h.Store.AfterPage("lobby", ids[4], ids[24], 100);

        page.Messages.Select(m => m.Id).Should().Equal(ids[5..13]);
        page.Remaining.Should().Be(12, "ids[13..24] are within the mark; the five after it come live");
        all.Messages.Select(m => m.Id).Should().Equal(ids[5..25]);
        all.Remaining.Should().Be(0);
    }

    [Test]
    public async Task Messages_of_an_earlier_room_of_the_same_name_are_never_in_a_page_of_the_new_one()
    {
        await using var h = new HistoryFixture();
        var old = await AppendAsync(h, "secret", 3);
        h.Store.LatestUpTo("secret", old[^1], 10).Messages.Should().HaveCount(3, "the tail now holds the old room's messages");
        var fresh = await AppendAsync(h, "secret", 2);
        long from = old[^1];

        h.Store.LatestUpTo("secret", fresh[^1], 10, from).Should().Match<HistoryPage>(p => p.Messages.Count == 2 && p.Remaining == 0);
        h.Store.LatestUpTo("secret", fresh[^1], 1, from).Remaining.Should().Be(1, "only the new room's older message counts");
        h.Store.BeforePage("secret", long.MaxValue, 10, from).Messages.Select(m => m.Id).Should().Equal(fresh);
        h.Store.AfterPage("secret", from, long.MaxValue, 10).Messages.Select(m => m.Id).Should().Equal(fresh);
        h.Store.SearchVisible("secret", ["secret"], "bob", long.MaxValue, 10, _ => from).Messages.Select(m => m.Id).Should().Equal(fresh);
    }

    [Test]
    public async Task Forgetting_a_deleted_room_spares_a_new_room_of_the_same_name()
    {
        await using var h = new HistoryFixture();
        var old = await AppendAsync(h, "secret", 3);
        // A new room under the name was created (HistoryFrom = old[^1]) before the old room's deletion ran.
        var fresh = await AppendAsync(h, "secret", 2);

        long deleted = await h.Store.ForgetRoomAsync("secret", old[^1]);

        deleted.Should().Be(3);
        h.Store.BeforePage("secret", long.MaxValue, 10).Messages.Select(m => m.Id).Should().Equal(fresh);
    }

    [Test]
    public async Task A_page_of_no_messages_still_counts_what_lies_beyond_its_bound()
    {
        // HistoryOnJoin or MaxReplay set to 0: a client told "0 more" would believe it had missed nothing.
        await using var h = new HistoryFixture();
        var ids = await AppendAsync(h, "lobby", 12);

        h.Store.LatestUpTo("lobby", ids[^1], 0).Should().Match<HistoryPage>(p => p.Messages.Count == 0 && p.Remaining == 12);
        h.Store.BeforePage("lobby", ids[5], 0).Remaining.Should().Be(5);
        h.Store.AfterPage("lobby", ids[2], ids[^1], 0).Remaining.Should().Be(9);
        h.Store.SearchVisible("lobby", ["lobby"], "alice", long.MaxValue, 0).Remaining.Should().Be(12);
    }

    [Test]
    public async Task The_replay_up_to_a_mark_from_memory_equals_the_file_before_and_after_a_restart()
    {
        await using var h = new HistoryFixture();
        var ids = await AppendAsync(h, "lobby", h.Store.TailLength + 30);

        foreach (bool restart in new[] { false, true })
        {
            var store = restart ? await h.ReopenAsync() : h.Store;
            foreach (long mark in new[] { ids[^1], ids[^10], ids[^(h.Store.TailLength - 5)], ids[3] })
            {
                foreach (int limit in new[] { 1, 20, h.Store.TailLength })
                {
                    var replay = store.LatestUpTo("lobby", mark, limit);
                    var file = store.BeforePage("lobby", mark + 1, limit);
                    replay.Messages.Should().Equal(file.Messages, $"mark {mark}, limit {limit}");
                    replay.Remaining.Should().Be(file.Remaining, $"mark {mark}, limit {limit}");
                }
            }
        }

        h.Store.LatestUpTo("empty", h.Store.LastId, 50).Should().BeEquivalentTo(HistoryPage.Empty);
    }

    [Test]
    public async Task Replays_taken_while_messages_are_committed_are_exactly_the_files_answer()
    {
        await using var h = new HistoryFixture();
        await AppendAsync(h, "lobby", 10);
        await h.ReopenAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var writing = Task.Run(async () =>
        {
            for (int i = 0; i < 40 && !stop.IsCancellationRequested; i++)
            {
                await Task.WhenAll(Enumerable.Range(0, 20).Select(n => h.Store.AppendRoomAsync("lobby", "bob", $"during {i}.{n}")));
            }
        });

        int checks = 0;
        while (!writing.IsCompleted)
        {
            long mark = h.Store.CommittedId;
            var replay = h.Store.LatestUpTo("lobby", mark, h.Store.TailLength);
            var file = h.Store.BeforePage("lobby", mark + 1, h.Store.TailLength);
            replay.Messages.Select(m => m.Id).Should().Equal(file.Messages.Select(m => m.Id), $"mark {mark}");
            replay.Remaining.Should().Be(file.Remaining, $"mark {mark}");
            checks++;
        }

        await writing;
        checks.Should().BePositive();
    }

    [Test]
    public async Task After_retention_the_replay_no_longer_holds_deleted_messages()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryMaxMessagesPerRoom = 5 });
        var ids = await AppendAsync(h, "lobby", 20);
        h.Store.LatestUpTo("lobby", ids[^1], 20).Messages.Should().HaveCount(20);

        await h.Store.PruneAsync();

        var replay = h.Store.LatestUpTo("lobby", ids[^1], 20);
        replay.Messages.Select(m => m.Id).Should().Equal(ids[15..]);
        replay.Remaining.Should().Be(0);
    }

    [Test]
    public async Task Forgetting_a_deleted_room_removes_all_its_messages_in_batches_and_nothing_else()
    {
        await using var h = new HistoryFixture();
        await AppendAsync(h, "Gone", 1200);
        var kept = await AppendAsync(h, "kept", 3);
        var pm = await h.Store.AppendPrivateAsync("alice", "bob", "gone is mentioned here");
        h.Store.LatestUpTo("gone", h.Store.CommittedId, 50).Messages.Should().HaveCount(50, "the tail is loaded");

        long deleted = await h.Store.ForgetRoomAsync("GONE");

        deleted.Should().Be(1200);
        h.Store.LatestUpTo("gone", h.Store.CommittedId, 50).Should().BeEquivalentTo(HistoryPage.Empty);
        h.Store.BeforePage("gone", long.MaxValue, 10).Messages.Should().BeEmpty();
        h.Store.SearchVisible("gone", ["gone", "kept"], "alice", long.MaxValue, 10).Messages.Select(m => m.Id).Should().Equal(pm.Id);
        h.Store.BeforePage("kept", long.MaxValue, 10).Messages.Select(m => m.Id).Should().Equal(kept);
        var again = await h.Store.AppendRoomAsync("gone", "carol", "a new room of the same name");
        h.Store.LatestUpTo("gone", again.Id, 50).Messages.Select(m => m.Text).Should().Equal("a new room of the same name");
    }

    [Test]
    public async Task A_conversation_holds_both_directions_of_one_pair_case_insensitively_and_nothing_else()
    {
        await using var h = new HistoryFixture();
        var one = await h.Store.AppendPrivateAsync("Alice", "bob", "hi bob");
        var two = await h.Store.AppendPrivateAsync("bob", "ALICE", "hi alice");
        await h.Store.AppendPrivateAsync("alice", "carol", "not bob's");
        await h.Store.AppendRoomAsync("bob", "alice", "a room called bob");
        var three = await h.Store.AppendPrivateAsync("alice", "Bob", "again", queueForDelivery: true);

        var page = h.Store.ConversationBefore("bob", "alice", long.MaxValue, 2);

        page.Messages.Select(m => m.Text).Should().Equal("hi alice", "again");
        page.Remaining.Should().Be(1);
        h.Store.ConversationBefore("ALICE", "Bob", two.Id, 10).Messages.Select(m => m.Id).Should().Equal(one.Id);
        h.Store.ConversationBefore("alice", "bob", long.MaxValue, 10).Messages.Select(m => m.Id).Should().Equal(one.Id, two.Id, three.Id);
        var after = h.Store.ConversationAfter("bob", "alice", one.Id, three.Id, 1);
        after.Messages.Select(m => m.Id).Should().Equal(two.Id);
        after.Remaining.Should().Be(1);
    }

    [Test]
    public async Task Search_finds_the_users_rooms_and_own_private_messages_only_newest_page_first()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "bob", "release party friday");
        await h.Store.AppendRoomAsync("secret", "bob", "release plan is secret");
        await h.Store.AppendPrivateAsync("bob", "carol", "release between others");
        await h.Store.AppendPrivateAsync("bob", "Alice", "release for alice");
        await h.Store.AppendPrivateAsync("alice", "dave", "release from alice");
        await h.Store.AppendPrivateAsync("malice", "dave", "release, but malice is not alice");
        await h.Store.AppendRoomAsync("Lobby", "carol", "unrelated");

        var all = h.Store.SearchVisible("RELEASE", ["LOBBY"], "alice", long.MaxValue, 10);
        var newest = h.Store.SearchVisible("release", ["lobby"], "alice", long.MaxValue, 2);
        var older = h.Store.SearchVisible("release", ["lobby"], "alice", newest.Messages[0].Id, 2);

        all.Messages.Select(m => m.Text).Should().Equal("release party friday", "release for alice", "release from alice");
        all.Remaining.Should().Be(0);
        newest.Messages.Select(m => m.Text).Should().Equal("release for alice", "release from alice");
        newest.Remaining.Should().Be(1);
        older.Messages.Select(m => m.Text).Should().Equal("release party friday");
        h.Store.SearchVisible("release", [], "nobody", long.MaxValue, 10).Messages.Should().BeEmpty();
        h.Store.SearchVisible("\" OR *", ["lobby"], "alice", long.MaxValue, 10).Messages.Should().BeEmpty("operators are taken literally");
    }

    [Test]
    public async Task Receipts_a_sender_was_not_told_of_wait_until_marked_told()
    {
        await using var h = new HistoryFixture();
        var first = await h.Store.AppendPrivateAsync("Alice", "bob", "one", queueForDelivery: true);
        var second = await h.Store.AppendPrivateAsync("alice", "bob", "two", queueForDelivery: true);
        await h.Store.AppendPrivateAsync("alice", "carol", "undelivered", queueForDelivery: true);
        await h.Store.MarkDeliveredAsync("bob", [first.Id, second.Id]);

        h.Store.UntoldReceiptsFor("ALICE", 10).Select(r => r.MessageId).Should().Equal(first.Id, second.Id);
        (await h.Store.MarkReceiptsToldAsync([first.Id])).Should().Be(1);
        var store = await h.ReopenAsync();

        store.UntoldReceiptsFor("alice", 10).Select(r => r.MessageId).Should().Equal(second.Id);
        (await store.MarkReceiptsToldAsync([first.Id, second.Id])).Should().Be(1, "a receipt is told once");
        store.UntoldReceiptsFor("alice", 10).Should().BeEmpty();
    }

    [Test]
    public async Task A_version_2_file_gets_conversation_keys_and_its_old_receipts_count_as_told()
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        OldHistoryFile.Create(path, 2, "INSERT INTO messages(room, sender, recipient, kind, time_ms, text) VALUES (NULL, 'Bob', 'alice', 0, 1, 'old pm');" +
            "INSERT INTO offline(message_id, recipient, sender, stored_ms, delivered_ms) VALUES (1, 'alice', 'bob', 1, 2);");

        await using var store = MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);
        await store.AppendPrivateAsync("ALICE", "bob", "new pm");

        store.ConversationBefore("alice", "BOB", long.MaxValue, 10).Messages.Select(m => m.Text).Should().Equal("old pm", "new pm");
        store.UntoldReceiptsFor("bob", 10).Should().BeEmpty();
    }

    private static async Task<long[]> AppendAsync(HistoryFixture h, string room, int count)
    {
        var ids = new long[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = (await h.Store.AppendRoomAsync(room, "alice", $"{room} {i}")).Id;
        }

        return ids;
    }
}
