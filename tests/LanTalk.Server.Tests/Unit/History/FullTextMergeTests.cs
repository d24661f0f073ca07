using LanTalk.Server.History;
using LanTalk.Server.Settings;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// The full-text index is merged by the writer in small slices of its own, never by FTS5's automerge inside the
/// statement that wrote the index: a single retention delete then took up to 63 ms of CPU, in a batch meant to stop
/// after 10 ms, and lowering HistoryDays on a large history stalled chat (retention audit, 2026-12-07).
/// </summary>
[TestFixture]
public sealed class FullTextMergeTests
{
    [Test]
    public async Task The_first_commit_turns_FTS5_automerge_off_in_the_file()
    {
        await using var h = new HistoryFixture();

        await h.Store.AppendRoomAsync("lobby", "alice", "hello");

        Automerge(h.DatabasePath).Should().Be(0, "no delete or commit of a group may run FTS5's merging (64 x levels pages at a time)");
    }

    [Test]
    public async Task The_writer_merges_the_segments_index_batches_leave_and_the_index_stays_whole()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "first");
        var merged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Twelve index batches in twelve transactions: twelve segments, which automerge no longer merges.
        for (int round = 0; round < 12; round++)
        {
            if (round == 11)
            {
                h.Store.IndexMerged += () => merged.TrySetResult();
            }

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

        await merged.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Segments(h.DatabasePath).Should().BeLessThan(8, "the writer merged a level once it held four segments, as automerge did");
        (await h.Store.WriteAsync(w => w.MergeSlices)).Should().BeGreaterThan(0);
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

        (await h.Store.PruneAsync()).ByAge.Should().Be(1500);

        (await h.Store.WriteAsync(w => w.MergeSlices)).Should().BeGreaterThan(slicesBefore, "the pruner merges what its deletes wrote, as part of each batch");
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
