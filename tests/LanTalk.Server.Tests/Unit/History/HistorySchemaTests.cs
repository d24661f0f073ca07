using LanTalk.Server.History;
using LanTalk.Server.Settings;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>Versioned migrations, and the files the store refuses with a message that names the file and the fix.</summary>
[TestFixture]
public sealed class HistorySchemaTests
{
    [Test]
    public async Task A_new_file_gets_the_current_schema_in_WAL_mode_readable_by_the_owner_only()
    {
        await using var h = new HistoryFixture();

        using var connection = Open(h.DatabasePath);
        HistorySchema.ReadVersion(connection).Should().Be(HistorySchema.CurrentVersion);
        Scalar(connection, "PRAGMA journal_mode").Should().Be("wal");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(h.DatabasePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "history holds private messages");
        }
    }

    [Test]
    public async Task A_version_1_file_is_migrated_and_keeps_its_messages()
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        OldHistoryFile.Create(path, 1, "INSERT INTO messages(room, sender, kind, time_ms, text) VALUES ('lobby', 'alice', 0, 1, 'from version 1')");

        await using var store = MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        store.Latest("lobby", 5).Single().Text.Should().Be("from version 1");
        (await store.AppendPrivateAsync("alice", "bob", "needs version 2", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);
        store.LastId.Should().Be(1 + IdReservation.UnknownGap + 1, "with no history.db.ids beside it the ids handed out are unknown, so they jump once");
        using var check = Open(path);
        HistorySchema.ReadVersion(check).Should().Be(HistorySchema.CurrentVersion);
    }

    [Test]
    public void A_file_from_a_newer_server_is_refused_and_left_alone()
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        using (var newer = Open(path))
        {
            Execute(newer, $"CREATE TABLE future(x); PRAGMA user_version = {HistorySchema.CurrentVersion + 1}");
        }

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        open.Should().Throw<HistoryStoreException>().Which.Message.Should()
            .Contain(path).And.Contain($"schema version {HistorySchema.CurrentVersion + 1}").And.Contain("newer").And.Contain("restore a backup");
        using var check = Open(path);
        HistorySchema.ReadVersion(check).Should().Be(HistorySchema.CurrentVersion + 1);
        var describe = () => HistoryBackup.Describe(dir.Path);
        describe.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("newer");
    }

    [Test]
    public async Task A_negative_schema_version_from_a_damaged_header_is_refused_with_what_to_do_not_a_crash()
    {
        // One flipped byte at offset 60 made user_version negative: an IndexOutOfRangeException ended the process (134).
        using var dir = new TempDirectory();
        await using (var first = MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false))
        {
            (await first.AppendRoomAsync("lobby", "alice", "kept")).Status.Should().Be(AppendStatus.Stored);
        }

        string path = dir.File("history.db");
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Seek(60, SeekOrigin.Begin);
            file.WriteByte(0xff);
        }

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        open.Should().Throw<HistoryStoreException>().Which.Message.Should()
            .Contain(path).And.Contain("schema version -").And.Contain("damaged").And.Contain("restore a backup");
    }

    [Test]
    public void A_file_at_our_schema_version_without_our_tables_is_refused_with_what_to_do()
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        using (var foreign = Open(path))
        {
            Execute(foreign, $"CREATE TABLE notes(x); PRAGMA user_version = {HistorySchema.CurrentVersion}");
        }

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        open.Should().Throw<HistoryStoreException>().Which.Message.Should()
            .Contain(path).And.Contain("lacks the table(s) messages").And.Contain("move the file").And.Contain("restore a backup");
    }

    [Test]
    public void A_file_that_is_not_a_database_is_refused_with_what_to_do()
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        File.WriteAllText(path, new string('x', 4096));

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        open.Should().Throw<HistoryStoreException>().Which.Message.Should()
            .Contain(path).And.Contain("not a readable SQLite database").And.Contain("restore a backup");
        File.ReadAllText(path).Should().Be(new string('x', 4096), "a file we cannot read is never overwritten");
    }

    [Test]
    public async Task A_second_store_on_the_same_directory_is_refused_while_the_first_is_open()
    {
        await using var h = new HistoryFixture();

        var second = () => MessageStore.Open(h.DataDirectory, ServerSettings.Default, startRetention: false);

        second.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("another lantalk-server process");
    }

    private static SqliteConnection Open(string path) => OldHistoryFile.Open(path);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
