using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>The full-text index is filled in batches by the writer, yet a search sees every acknowledged message.</summary>
[TestFixture]
public sealed class FullTextIndexTests
{
    [Test]
    public async Task A_search_right_after_the_acknowledgement_finds_the_message()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "the first deploy");
        await h.Store.AppendRoomAsync("lobby", "bob", "the second deploy");

        h.Store.Search("deploy", ["lobby"], 10).Select(m => m.Text).Should().Equal("the second deploy", "the first deploy");
        h.Store.SearchVisible("second", ["lobby"], "carol", long.MaxValue, 10).Messages.Should().ContainSingle();
    }

    [Test]
    public async Task A_large_backlog_is_indexed_by_the_writer_in_batches_without_a_search()
    {
        await using var h = new HistoryFixture();

        await Task.WhenAll(Enumerable.Range(0, HistoryWriter.IndexBatch * 3).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"message {i}")));
        // One more commit after the backlog: a group that finds a full batch waiting indexes it.
        await h.Store.AppendRoomAsync("lobby", "alice", "after the backlog");

        IndexedRows(h).Should().BeGreaterThan(h.Store.LastId - HistoryWriter.IndexBatch, "the writer indexes each full batch without waiting for a search");
    }

    [Test]
    public async Task Deleting_messages_the_index_has_not_reached_keeps_the_index_consistent()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "indexed before the delete");
        h.Store.Search("indexed", ["lobby"], 10).Should().ContainSingle("the search indexed it");

        // Inserted and deleted in one transaction: the index never held these rows, so the delete must not touch it.
        await h.Store.WriteAsync(w =>
        {
            for (int i = 0; i < 3; i++)
            {
                w.InsertMessage("lobby", "bob", null, $"gone before indexing {i}", MessageKind.Normal);
            }

            using var delete = w.Connection.CreateCommand();
            delete.CommandText = "DELETE FROM messages WHERE text LIKE 'gone before indexing%'";
            return delete.ExecuteNonQuery();
        });

        await h.Store.WriteAsync(w =>
        {
            using var check = w.Connection.CreateCommand();
            check.CommandText = "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')";
            return check.ExecuteNonQuery();
        });
        h.Store.Search("gone", ["lobby"], 10).Should().BeEmpty();
        h.Store.Search("indexed", ["lobby"], 10).Should().ContainSingle();
    }

    [Test]
    public async Task A_version_3_file_migrates_with_its_old_messages_still_searchable()
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        OldHistoryFile.Create(path, 3, "INSERT INTO messages(room, sender, kind, time_ms, text) VALUES ('lobby', 'alice', 0, 1, 'written by version three')");

        await using var store = MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);
        await store.AppendRoomAsync("lobby", "bob", "written by version four");

        store.Search("version", ["lobby"], 10).Select(m => m.Text).Should().Equal("written by version four", "written by version three");
    }

    [TestCase("γεια", "Γειά σου")]
    [TestCase("καλημερα", "καλημέρα!")]
    [TestCase("ανθρωπος", "ΆΝΘΡΩΠΟΣ")]
    [TestCase("ροδον", "ῥόδον")]
    [TestCase("γειά", "γεια σου")]
    [TestCase("tieng", "Tiếng Việt")]
    [TestCase("viet", "Tiếng Việt")]
    [TestCase("elan", "élan")]
    public async Task A_search_ignores_greek_accents_and_latin_letters_with_two_accents(string query, string text)
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", text);
        await h.Store.AppendRoomAsync("lobby", "alice", "something else");

        h.Store.Search(query, ["lobby"], 10).Select(m => m.Text).Should().Equal(text);
    }

    [TestCase("東京", "今日は東京へ行きます")]
    [TestCase("東京へ", "今日は東京へ行きます")]
    [TestCase("サーバー", "新しいサーバーを入れた")]
    [TestCase("服务器", "我们的服务器已经重启了")]
    [TestCase("서울", "서울에서 만나요")]
    [TestCase("สวัสดี", "สวัสดีครับทุกคน")]
    [TestCase("𠮷野", "𠮷野家で昼ご飯")]
    [TestCase("京abc", "東京abcビル")]
    [TestCase("deploy 完了", "deployが完了しました")]
    public async Task A_search_finds_a_run_of_letters_inside_text_written_without_spaces(string query, string text)
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", text);
        await h.Store.AppendRoomAsync("lobby", "alice", "something else 別のこと");

        h.Store.Search(query, ["lobby"], 10).Select(m => m.Text).Should().Equal(text);
    }

    [TestCase("京東", "今日は東京へ")]
    [TestCase("サーバ", "サイバー")]
    public async Task A_search_word_in_text_without_spaces_needs_its_letters_in_order_and_together(string query, string text)
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", text);

        h.Store.Search(query, ["lobby"], 10).Should().BeEmpty("the letters occur, but not in that order and together");
    }

    [Test]
    public async Task Letters_of_text_without_spaces_given_as_two_words_match_apart()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "東に行って、京都");

        h.Store.Search("東 京", ["lobby"], 10).Should().ContainSingle("every word of the query occurs in the message");
    }

    [Test]
    public Task A_version_5_file_is_indexed_again_so_its_old_chinese_messages_are_found_by_a_part_and_can_be_deleted() =>
        // As a version 5 server indexed it: a run of ideographs was one token.
        AnOldFileIsIndexedAgain(5, "今日は東京へ行きます", "東京");

    [Test]
    public Task A_version_4_file_is_indexed_again_so_its_old_greek_messages_are_found_without_accents_and_can_be_deleted() =>
        AnOldFileIsIndexedAgain(4, "καλημέρα από την έκδοση 4", "καλημερα");

    /// <summary>
    /// A file at <paramref name="version"/> whose one message was indexed as that version did (its text as it is): the
    /// upgrade builds the index again, so <paramref name="query"/> finds it, and deleting it takes exactly the tokens
    /// the new index holds out again (FTS5's integrity check passes).
    /// </summary>
    private static async Task AnOldFileIsIndexedAgain(int version, string text, string query)
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        OldHistoryFile.Create(path, version, $"INSERT INTO messages(room, sender, kind, time_ms, text) VALUES ('lobby', 'alice', 0, 1, '{text}'); " +
            "INSERT INTO messages_fts(rowid, text) SELECT id, text FROM messages; UPDATE fts_state SET indexed = (SELECT max(id) FROM messages)");

        await using var store = MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        store.Search(query, ["lobby"], 10).Select(m => m.Text).Should().Equal(text);
        await store.WriteAsync(w =>
        {
            using var delete = w.Connection.CreateCommand();
            delete.CommandText = "DELETE FROM messages; INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')";
            return delete.ExecuteNonQuery();
        });
        store.Search(query, ["lobby"], 10).Should().BeEmpty("the delete took the folded tokens out of the index");
    }

    private static long IndexedRows(HistoryFixture h) => h.Store.WriteAsync(w =>
    {
        using var command = w.Connection.CreateCommand();
        command.CommandText = "SELECT indexed FROM fts_state";
        return (long)command.ExecuteScalar()!;
    }).GetAwaiter().GetResult();
}
