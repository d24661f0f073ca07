using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// history.db in a state SQLite would quietly work around: a directory in its place, a file we may not write, a file
/// deleted while the server runs.
/// </summary>
[TestFixture]
public sealed class HistoryFileFaultTests
{
    [Test]
    public void A_directory_named_history_db_is_a_bad_file_not_an_unwritable_disk()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("history.db"));

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        // Unwritable would mean "run with history off", which stores nothing; a bad file stops the start.
        var ex = open.Should().Throw<HistoryStoreException>().Which;
        ex.Unwritable.Should().BeFalse();
        ex.Message.Should().Contain($"{dir.File("history.db")} is a directory, not a file").And.Contain("Move it out");
    }

    [Test]
    public void A_sqlite_database_that_is_not_a_lanTalk_history_is_refused_and_left_unchanged()
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        using (var foreign = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            foreign.Open();
            using var create = foreign.CreateCommand();
            create.CommandText = "CREATE TABLE invoices(x)";
            create.ExecuteNonQuery();
        }

        byte[] before = File.ReadAllBytes(path);

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        var ex = open.Should().Throw<HistoryStoreException>().Which;
        ex.Unwritable.Should().BeFalse("a foreign file stops the start");
        ex.Message.Should().Contain("not a LanTalk history (it holds invoices").And.Contain("Move it out of the data directory");
        File.ReadAllBytes(path).Should().Equal(before, "nothing was written into it");
        File.Exists(path + "-wal").Should().BeFalse("it was not even switched to WAL mode");
    }

    [Test]
    public async Task A_history_db_with_zeroed_pages_is_refused_at_open_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        var store = MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);
        for (int i = 0; i < 2000; i++)
        {
            await store.AppendRoomAsync("lobby", "alice", $"message {i} ".PadRight(200, 'x'));
        }

        await store.DisposeAsync();
        string path = dir.File("history.db");
        File.Exists(path + "-wal").Should().BeFalse("a clean close leaves no log, so the damage below is in the file itself");
        long length = new FileInfo(path).Length;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            // Ten pages in the middle, as a bad sector or a torn copy leaves them.
            file.Seek(length / 2 / 4096 * 4096, SeekOrigin.Begin);
            file.Write(new byte[10 * 4096]);
        }

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        var ex = open.Should().Throw<HistoryStoreException>().Which;
        ex.Unwritable.Should().BeFalse("a damaged file will not mend itself: the start stops");
        ex.Message.Should().Contain("is not a readable SQLite database").And.Contain("quick_check").And.Contain("restore a backup");
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_history_db_stops_the_open_instead_of_refusing_every_message_later()
    {
        using var dir = new TempDirectory();
        await MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false).DisposeAsync();
        string path = dir.File("history.db");
        MakeReadOnly(path);
        try
        {
            var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

            var ex = open.Should().Throw<HistoryStoreException>().Which;
            ex.Unwritable.Should().BeFalse("the directory is writable: the file's owner or mode is wrong, and running with history off would store nothing");
            ex.Message.Should().Contain(path).And.Contain("cannot be opened for writing").And.Contain("chmod u+rw");
        }
        finally
        {
            MakeWritable(path);
        }
    }

    /// <summary>chmod 444; root ignores the mode, so as root the immutable attribute stands in (or the test is skipped).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeReadOnly(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        if (Environment.UserName != "root")
        {
            return;
        }

        if (Chattr.Run("+i", path) != 0)
        {
            Assert.Ignore("running as root on a file system without chattr +i: a read-only file cannot be made");
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeWritable(string path)
    {
        if (Environment.UserName == "root")
        {
            Chattr.Run("-i", path);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [TestCase("history.db")]
    [TestCase("history.db-wal")]
    public async Task A_file_deleted_while_the_store_runs_refuses_appends_instead_of_acknowledging_into_it(string deleted)
    {
        // SQLite writes on through its open descriptor: every later message was acknowledged, then gone at restart.
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "before")).Status.Should().Be(AppendStatus.Stored);

        File.Delete(h.DataDirectory + "/" + deleted);
        var after = await h.Store.AppendRoomAsync("lobby", "alice", "after the delete");
        var offline = await h.Store.AppendPrivateAsync("alice", "bob", "stored for bob", queueForDelivery: true);

        after.Status.Should().Be(AppendStatus.StorageUnavailable, "nothing written to a deleted file may be acknowledged");
        offline.Status.Should().Be(AppendStatus.StorageUnavailable);
        h.Store.Available.Should().BeFalse();
    }
}
