using LanTalk.Server.History;
using LanTalk.Server.Settings;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// While retention (or a room's deletion) removes messages, the full-text index is merged by the writer in small
/// slices of its own, not by FTS5's automerge inside the statement that wrote the index: a single retention delete
/// then took up to 63 ms of CPU, in a batch meant to stop after 10 ms, and lowering HistoryDays on a large history
/// stalled chat (retention audit, 2026-12-07). Ordinary inserts keep FTS5's automerge: slices for them cost burst-32
/// and crowd 7-9 % more CPU per delivery.
/// </summary>
[TestFixture]
public sealed class FullTextMergeTests
{
    [Test]
    public async Task A_deletion_turns_automerge_off_in_its_own_commit_and_the_writer_turns_it_on_once_the_merging_is_done()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "hello");
        Automerge(h.DatabasePath).Should().Be(4, "ordinary inserts leave FTS5's automerge as it is");

        var merged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.IndexMerged += () => merged.TrySetResult();
        long? atCommit = null;
        bool armed = false;
        // Right after the deleting op's commit, before the writer's next turn merges anything.
        h.Store.AfterCommit = () =>
        {
            if (armed && atCommit is null)
            {
                atCommit = Automerge(h.DatabasePath);
            }
        };
        await h.Store.WriteAsync(w =>
        {
            armed = true;
            w.NoteIndexWritten();
            return 0;
        });

        atCommit.Should().Be(0, "no single delete may run FTS5's merging (64 x levels pages at a time)");
        await merged.Task.WaitAsync(Wait.Timeout);
        Automerge(h.DatabasePath).Should().Be(4, "once the deletions' merging is done, FTS5 merges inserts again");
    }

    [Test]
    public async Task Ordinary_index_batches_are_merged_by_fts5_itself_with_no_slices_of_the_writers()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "first");

        // Twelve index batches in twelve transactions: twelve small segments, left to FTS5 (it merges by pages written).
        for (int round = 0; round < 12; round++)
        {
            await h.Store.WriteAsync(w =>
            {
                for (int i = 0; i < 50; i++)
                {
                    w.InsertMessage("lobby", "bob", null, $"round{round} word{i} shared", MessageKind.Normal);
                }

                w.IndexPending();
                return 0;
            });
        }

        Automerge(h.DatabasePath).Should().Be(4);
        (await h.Store.WriteAsync(w => w.MergeSlices)).Should().Be(0, "a slice is a commit of its own, which ordinary chat does not pay for");
        await IntegrityCheckAsync(h.Store);
        h.Store.Search("shared", ["lobby"], 1000).Should().HaveCount(600);
    }

    [Test]
    public async Task Retention_merges_what_its_deletes_wrote_and_leaves_the_index_whole()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryDays = 7 });
        await Task.WhenAll(Enumerable.Range(0, 1500).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"old {i} text")));
        h.Clock.Now = h.Clock.Now.AddDays(8);
        await h.Store.AppendRoomAsync("lobby", "alice", "recent text");
        h.Store.Search("text", ["lobby"], 10).Should().HaveCount(10, "the search indexed everything");
        long slicesBefore = await h.Store.WriteAsync(w => w.MergeSlices);
        var merged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.IndexMerged += () => merged.TrySetResult();

        (await h.Store.PruneAsync()).ByAge.Should().Be(1500);

        (await h.Store.WriteAsync(w => w.MergeSlices)).Should().BeGreaterThan(slicesBefore, "the pruner merges what its deletes wrote, as part of each batch");
        await merged.Task.WaitAsync(Wait.Timeout);
        Automerge(h.DatabasePath).Should().Be(4, "the pass is over");
        Segments(h.DatabasePath).Should().BeLessThan(8);
        await IntegrityCheckAsync(h.Store);
        h.Store.Search("text", ["lobby"], 10).Select(m => m.Text).Should().Equal("recent text");
    }

    private static long Automerge(string path) => Scalar(path, "SELECT coalesce((SELECT v FROM messages_fts_config WHERE k = 'automerge'), 4)");

    private static long Segments(string path) => Scalar(path, "SELECT count(DISTINCT segid) FROM messages_fts_idx");

    private static Task<int> IntegrityCheckAsync(MessageStore store) => store.WriteAsync(w =>
    {
        using var check = w.Connection.CreateCommand();
        check.CommandText = "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')";
        return check.ExecuteNonQuery();
    });

    private static long Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
