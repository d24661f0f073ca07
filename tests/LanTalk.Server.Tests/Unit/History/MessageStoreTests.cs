using LanTalk.Server.History;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>Appends, ids, paging, catch-up and search against a real history.db on disk.</summary>
[TestFixture]
public sealed class MessageStoreTests
{
    [Test]
    public async Task An_append_completes_with_an_id_and_server_time_and_the_row_is_on_disk()
    {
        await using var h = new HistoryFixture();

        var result = await h.Store.AppendRoomAsync("Lobby", "alice", "hello", MessageKind.Action);

        result.Status.Should().Be(AppendStatus.Stored);
        result.Id.Should().Be(1);
        result.TimeMs.Should().Be(h.Clock.Now.ToUnixTimeMilliseconds());
        // A separate connection sees it: the completion came after the commit.
        using var connection = new SqliteConnection($"Data Source={h.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT room || '|' || sender || '|' || text || '|' || kind FROM messages WHERE id = 1";
        command.ExecuteScalar().Should().Be("lobby|alice|hello|1");
    }

    [Test]
    public async Task A_barrier_runs_after_the_completion_of_every_append_made_before_it_and_at_once_when_none_is_pending()
    {
        await using var h = new HistoryFixture();
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var barrierRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int i = 0; i < 50; i++)
        {
            string name = "m" + i;
            h.Store.AppendRoom("lobby", "alice", name, MessageKind.Normal, _ => order.Enqueue(name));
        }

        h.Store.AfterPending(() =>
        {
            order.Enqueue("barrier");
            barrierRan.SetResult();
        });
        await barrierRan.Task.WaitAsync(Wait.Timeout);
        order.Should().HaveCount(51);
        order.Last().Should().Be("barrier", "all 50 appends were made before the barrier");

        // Nothing pending now: the barrier runs inline.
        bool inline = false;
        h.Store.AfterPending(() => inline = true);
        inline.Should().BeTrue();
    }

    [Test]
    public async Task Ids_keep_growing_across_reopen_even_after_the_newest_rows_were_deleted()
    {
        await using var h = new HistoryFixture();
        for (int i = 0; i < 3; i++)
        {
            (await h.Store.AppendRoomAsync("lobby", "alice", $"m{i}")).Id.Should().Be(i + 1);
        }

        await h.Store.WriteAsync(w =>
        {
            using var delete = w.Connection.CreateCommand();
            delete.CommandText = "DELETE FROM messages";
            return delete.ExecuteNonQuery();
        });
        var store = await h.ReopenAsync();

        store.LastId.Should().Be(3);
        (await store.AppendRoomAsync("lobby", "alice", "after restart")).Id.Should().Be(4, "an id is never handed out twice");
    }

    [Test]
    public async Task Server_time_never_goes_backwards_as_ids_grow_even_when_the_clock_does()
    {
        await using var h = new HistoryFixture();
        var first = await h.Store.AppendRoomAsync("lobby", "alice", "one");
        h.Clock.Now = h.Clock.Now.AddMinutes(-5);
        await h.ReopenAsync();

        var second = await h.Store.AppendRoomAsync("lobby", "alice", "two");

        second.Id.Should().BeGreaterThan(first.Id);
        second.TimeMs.Should().Be(first.TimeMs);
    }

    [Test]
    public async Task Concurrent_appends_share_commits()
    {
        await using var h = new HistoryFixture();
        long before = h.Store.Transactions;

        var results = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => h.Store.AppendRoomAsync("lobby", "u" + (i % 32), $"burst {i}")));

        results.Select(r => r.Status).Should().AllBeEquivalentTo(AppendStatus.Stored);
        results.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        long commits = h.Store.Transactions - before;
        commits.Should().BeLessThan(200, "2,000 appends queued together are grouped into a few transactions, not one each");
        h.Store.Stats().Messages.Should().Be(2000);
    }

    [Test]
    public async Task Latest_Before_and_After_page_through_one_room_oldest_first()
    {
        await using var h = new HistoryFixture();
        var lobby = new List<long>();
        for (int i = 1; i <= 10; i++)
        {
            lobby.Add((await h.Store.AppendRoomAsync(i % 2 == 0 ? "LOBBY" : "lobby", "alice", $"lobby {i}")).Id);
            await h.Store.AppendRoomAsync("dev", "bob", $"dev {i}");
        }

        h.Store.Latest("Lobby", 3).Select(m => m.Text).Should().Equal("lobby 8", "lobby 9", "lobby 10");
        h.Store.Before("lobby", lobby[7], 3).Select(m => m.Text).Should().Equal("lobby 5", "lobby 6", "lobby 7");
        h.Store.Before("lobby", lobby[1], 3).Select(m => m.Text).Should().Equal("lobby 1");

        var page = h.Store.After("lobby", lobby[2], 4);
        page.Messages.Select(m => m.Text).Should().Equal("lobby 4", "lobby 5", "lobby 6", "lobby 7");
        page.Remaining.Should().Be(3);
        var rest = h.Store.After("lobby", page.Messages[^1].Id, 4);
        rest.Messages.Select(m => m.Text).Should().Equal("lobby 8", "lobby 9", "lobby 10");
        rest.Remaining.Should().Be(0);
        h.Store.After("lobby", lobby[^1], 4).Messages.Should().BeEmpty();
        h.Store.Latest("nowhere", 50).Should().BeEmpty();
    }

    [Test]
    public async Task Search_finds_words_only_in_the_given_rooms_newest_first_and_takes_any_input_literally()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "the deploy failed again");
        await h.Store.AppendRoomAsync("secret", "bob", "deploy keys are in the vault");
        await h.Store.AppendRoomAsync("dev", "carol", "Deploying now");
        await h.Store.AppendRoomAsync("dev", "carol", "lunch?");
        await h.Store.AppendPrivateAsync("bob", "alice", "deploy privately");

        h.Store.Search("deploy", ["Lobby", "dev"], 10).Select(m => m.Text).Should().Equal("the deploy failed again");
        h.Store.Search("deploy*", ["lobby", "dev"], 10).Select(m => m.Text).Should().Equal("Deploying now", "the deploy failed again");
        h.Store.Search("deploy failed", ["lobby", "dev"], 10).Should().ContainSingle();
        h.Store.Search("\"unbalanced AND OR ( NEAR", ["lobby"], 10).Should().BeEmpty("operators and quotes are plain words, not a syntax error");
        h.Store.Search("   ", ["lobby"], 10).Should().BeEmpty();
        h.Store.Search("deploy", [], 10).Should().BeEmpty();
        // A NUL ends a string in SQLite's query parser: it was a StorageUnavailable error, now it separates as any other character does.
        h.Store.Search("deploy\0", ["lobby"], 10).Select(m => m.Text).Should().Equal("the deploy failed again");
        h.Store.Search("the\0deploy", ["lobby"], 10).Select(m => m.Text).Should().Equal("the deploy failed again");
        h.Store.Search("\"deploy\0\"", ["lobby"], 10).Should().ContainSingle();
    }

    [Test]
    public async Task A_private_message_keeps_sender_and_recipient_and_no_room()
    {
        await using var h = new HistoryFixture();

        var result = await h.Store.AppendPrivateAsync("alice", "Bob", "psst");

        result.Status.Should().Be(AppendStatus.Stored);
        var stored = h.Store.Find(result.Id)!;
        stored.Room.Should().BeNull();
        stored.Sender.Should().Be("alice");
        stored.Recipient.Should().Be("Bob");
        stored.IsPrivate.Should().BeTrue();
        h.Store.PendingFor("bob").Should().BeEmpty("the recipient was online: nothing is queued");
    }

    [Test]
    public async Task After_close_appends_answer_Closed()
    {
        var h = new HistoryFixture();
        var store = h.Store;
        await h.DisposeAsync();

        (await store.AppendRoomAsync("lobby", "alice", "late")).Status.Should().Be(AppendStatus.Closed);
    }
}
