using LanTalk.Server.History;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>lantalk-server backup: a consistent, standalone copy taken while the store keeps writing.</summary>
[TestFixture]
public sealed class HistoryBackupTests
{
    [Test]
    public async Task A_backup_of_a_stopped_servers_data_reads_its_log_and_leaves_every_file_of_the_data_directory_as_it_was()
    {
        // As a kill -9 leaves the data directory: history.db with a log that holds the last commits.
        using var crashed = new TempDirectory();
        await using (var h = new HistoryFixture())
        {
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"message {i}")));
            foreach (string name in new[] { "history.db", "history.db-wal", "history.db.ids" })
            {
                File.Copy(Path.Combine(h.DataDirectory, name), crashed.File(name));
            }
        }

        var before = Directory.GetFiles(crashed.Path).ToDictionary(f => f, File.ReadAllBytes);
        using var target = new TempDirectory();
        HistoryBackup.Run(crashed.Path, target.File("copy.db")).Should().Be(50, "the backup reads the log too");

        // Its connection was the file's last one: its close checkpointed the log into history.db and deleted it
        // (fault injection, 2026-12-05). A backup only reads.
        Directory.GetFiles(crashed.Path).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)).Should().BeEquivalentTo(before.Keys);
        foreach (var (file, bytes) in before)
        {
            File.ReadAllBytes(file).Should().Equal(bytes, "{0} is left as it was", Path.GetFileName(file));
        }
    }

    [Test]
    public async Task A_backup_of_a_cleanly_stopped_servers_data_leaves_no_log_or_index_behind_and_every_file_as_it_was()
    {
        // The backup's open made history.db-wal and -shm, and its close kept both (an operations audit, 2026-12-06).
        await using var h = new HistoryFixture();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"message {i}")));
        await h.Store.DisposeAsync();
        string data = h.DataDirectory;

        var before = Directory.GetFiles(data).ToDictionary(f => f, File.ReadAllBytes);
        before.Keys.Should().NotContain(f => f.EndsWith("-wal", StringComparison.Ordinal) || f.EndsWith("-shm", StringComparison.Ordinal), "a clean stop removes both");
        using var target = new TempDirectory();

        HistoryBackup.Run(data, target.File("copy.db")).Should().Be(20);

        Directory.GetFiles(data).Should().BeEquivalentTo(before.Keys);
        foreach (var (file, bytes) in before)
        {
            File.ReadAllBytes(file).Should().Equal(bytes, "{0} is left as it was", Path.GetFileName(file));
        }
    }

    [Test]
    public async Task A_backup_while_appends_run_holds_every_message_acknowledged_before_it_and_stands_alone()
    {
        await using var h = new HistoryFixture();
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"before {i}")));

        using var target = new TempDirectory();
        string file = target.File("copy.db");
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            int n = 0;
            while (!stop.IsCancellationRequested)
            {
                await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => h.Store.AppendRoomAsync("lobby", "bob", $"during {n++}")));
            }
        });

        long copied = HistoryBackup.Run(h.DataDirectory, file);
        await stop.CancelAsync();
        await writing;

        copied.Should().BeGreaterThanOrEqualTo(500);
        File.Exists(file + "-wal").Should().BeFalse();
        Directory.GetFiles(target.Path).Should().Equal([file], "no temp file is left");
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        command.ExecuteScalar().Should().Be("delete", "the copy needs no -wal file beside it");
        command.CommandText = "SELECT count(*) FROM messages WHERE text LIKE 'before %'";
        command.ExecuteScalar().Should().Be(500L);
        command.CommandText = "SELECT count(*) FROM messages";
        command.ExecuteScalar().Should().Be(copied);
        command.CommandText = "SELECT max(id) - min(id) + 1 FROM messages";
        command.ExecuteScalar().Should().Be(copied, "a snapshot of one moment: no gap in the ids");
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_backup_is_readable_by_the_owner_only_like_history_db()
    {
        // SQLite created the copy with the umask's mode (0644 under the usual 022): private messages for everyone.
        await using var h = new HistoryFixture();
        await h.Store.AppendPrivateAsync("alice", "bob", "secret", queueForDelivery: true);
        using var target = new TempDirectory();

        HistoryBackup.Run(h.DataDirectory, target.File("copy.db"));

        File.GetUnixFileMode(target.File("copy.db")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        HistoryBackup.Run(h.DataDirectory, target.File("copy.db"));
        File.GetUnixFileMode(target.File("copy.db")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "a second backup over the first keeps the mode");
    }

    [Test]
    public async Task A_target_that_is_a_directory_or_in_a_missing_directory_is_refused_in_the_operators_terms()
    {
        await using var h = new HistoryFixture();
        using var target = new TempDirectory();

        var intoDirectory = () => HistoryBackup.Run(h.DataDirectory, target.Path);
        var intoNowhere = () => HistoryBackup.Run(h.DataDirectory, target.File("missing/copy.db"));

        intoDirectory.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain($"{target.Path} is a directory; give the backup a file name");
        intoNowhere.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain($"the directory {target.File("missing")} does not exist").And.NotContain(".tmp");
        Directory.GetFileSystemEntries(target.Path).Should().BeEmpty("no temp file is left");
    }

    [Test]
    [Platform(Include = "Linux")]
    public async Task A_target_that_is_a_symbolic_link_or_a_fifo_is_refused_and_left_as_it_was()
    {
        await using var h = new HistoryFixture();
        using var target = new TempDirectory();
        File.WriteAllText(target.File("kept.txt"), "not a backup");
        File.CreateSymbolicLink(target.File("link.db"), target.File("kept.txt"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", target.File("pipe.db")))
        {
            await Wait.ForAsync(mkfifo!.WaitForExitAsync(), "mkfifo");
        }

        var toLink = () => HistoryBackup.Run(h.DataDirectory, target.File("link.db"));
        var toPipe = () => HistoryBackup.Run(h.DataDirectory, target.File("pipe.db"));

        toLink.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("is a symbolic link, not a regular file");
        toPipe.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("is a FIFO (named pipe), not a regular file");
        new FileInfo(target.File("link.db")).LinkTarget.Should().Be(target.File("kept.txt"), "the link is still a link");
        File.ReadAllText(target.File("kept.txt")).Should().Be("not a backup");
        Directory.GetFileSystemEntries(target.Path).Should().HaveCount(3, "no temp file is left");
    }

    [TestCase("history.db")]
    [TestCase("history.db-wal")]
    [TestCase("history.db-shm")]
    [TestCase("history.db-journal")]
    [TestCase("history.db.lock")]
    [TestCase("lantalk-server.lock")]
    [TestCase("Users.xml")]
    [TestCase("Users.xml.lock")]
    [TestCase("Rooms.xml")]
    [TestCase("Settings.xml")]
    [TestCase("NLog.config")]
    [TestCase("server.key")]
    [TestCase("logs/lantalk-server.log")]
    [TestCase("old.log")]
    public async Task A_target_that_is_a_file_the_server_uses_is_refused_and_left_as_it_was(string name)
    {
        // The copy replaces its target by rename: onto history.db-wal it lost every acknowledged message at the next
        // kill -9, onto Users.xml it made the accounts a SQLite file, onto a lock file it let a second server start.
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "kept");
        string path = Path.Combine(h.DataDirectory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        bool existed = File.Exists(path);
        // Size and time, not content: history.db.lock is locked by this very process, so it cannot be read here.
        var before = existed ? (new FileInfo(path).Length, File.GetLastWriteTimeUtc(path)) : default;
        if (!existed && !name.EndsWith(".lock", StringComparison.Ordinal))
        {
            // Missing now does not make it safe: Users.xml written as a SQLite file stops the next start.
            path = Path.Combine(h.DataDirectory, "sub", "..", name);
        }

        var run = () => HistoryBackup.Run(h.DataDirectory, path);

        run.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("which the server uses").And.Contain("Back up to a file outside the data directory");
        File.Exists(path).Should().Be(existed);
        if (existed)
        {
            (new FileInfo(path).Length, File.GetLastWriteTimeUtc(path)).Should().Be(before);
        }

        h.Store.Latest("lobby", 10).Select(m => m.Text).Should().Equal("kept");
    }

    [Test]
    [Platform(Include = "Linux")]
    public async Task A_target_in_the_data_directory_reached_through_a_link_is_refused()
    {
        await using var h = new HistoryFixture();
        using var elsewhere = new TempDirectory();
        File.WriteAllText(Path.Combine(h.DataDirectory, "Users.xml"), "<Users version=\"1\" />");
        Directory.CreateSymbolicLink(elsewhere.File("data"), h.DataDirectory);

        var run = () => HistoryBackup.Run(h.DataDirectory, elsewhere.File("data/Users.xml"));
        var fromLink = () => HistoryBackup.Run(elsewhere.File("data"), Path.Combine(h.DataDirectory, "Users.xml"));

        run.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("is the accounts file, which the server uses");
        fromLink.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("is the accounts file, which the server uses");
        File.ReadAllText(Path.Combine(h.DataDirectory, "Users.xml")).Should().Be("<Users version=\"1\" />");
    }

    [Test]
    public async Task An_existing_file_that_is_not_a_SQLite_database_is_not_replaced_but_an_earlier_backup_or_an_empty_file_is()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "saved");
        using var target = new TempDirectory();
        File.WriteAllText(target.File("notes.txt"), "my notes");
        File.WriteAllBytes(target.File("empty.db"), []);

        var ontoNotes = () => HistoryBackup.Run(h.DataDirectory, target.File("notes.txt"));

        ontoNotes.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain($"{target.File("notes.txt")} already exists and is not a SQLite database")
            .And.Contain("Give the backup a new file name");
        File.ReadAllText(target.File("notes.txt")).Should().Be("my notes");
        HistoryBackup.Run(h.DataDirectory, target.File("empty.db")).Should().Be(1);
        HistoryBackup.Run(h.DataDirectory, target.File("empty.db")).Should().Be(1, "an earlier backup is replaced");
    }

    [Test]
    public async Task A_restored_backup_is_used_by_the_next_start()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "saved");
        using var target = new TempDirectory();
        HistoryBackup.Run(h.DataDirectory, target.File("copy.db"));
        await h.Store.AppendRoomAsync("lobby", "alice", "lost by the restore");
        await h.Store.DisposeAsync();

        File.Copy(target.File("copy.db"), h.DatabasePath, overwrite: true);
        var store = await h.ReopenAsync();

        store.Latest("lobby", 10).Select(m => m.Text).Should().Equal("saved");
    }

    [Test]
    public void Backing_up_without_a_history_says_so()
    {
        using var data = new TempDirectory();

        var run = () => HistoryBackup.Run(data.Path, data.File("copy.db"));

        run.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("no history to back up yet");
        HistoryBackup.Describe(data.Path).Should().Contain("not created yet");
        File.Exists(data.File("history.db")).Should().BeFalse("config check never creates the file");
    }

    [Test]
    public async Task A_backup_removes_the_temp_copies_of_killed_backups_to_the_same_file_but_not_those_of_running_ones()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "kept");
        using var target = new TempDirectory();
        string file = target.File("copy.db");
        int gone = ExitedProcessId();
        string[] abandoned = [$"{file}.{gone}.tmp", $"{file}.{gone}.tmp-journal", $"{file}.{gone}.tmp-wal", $"{file}.{gone}.tmp-shm", $"{file}.rooms.xml.{gone}.tmp"];
        // pid 1 always runs: its copy may be another backup at work. The rest are not temp copies of this target.
        string[] kept = [$"{file}.1.tmp", $"{file}.notapid.tmp", $"{file}.{gone}.tmpx", target.File($"other.db.{gone}.tmp")];
        foreach (string path in abandoned.Concat(kept))
        {
            File.WriteAllText(path, "left by a backup");
        }

        HistoryBackup.Run(h.DataDirectory, file);

        Directory.GetFiles(target.Path).Should().BeEquivalentTo(kept.Append(file));
    }

    /// <summary>The id of a process that has exited (its id is not reused this soon).</summary>
    private static int ExitedProcessId()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
