using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A history.db-wal left from another file (a restore whose "delete the -wal" step was skipped) is refused before any
/// read-write connection could copy it into history.db: the start, `config check` and `backup` name it, and change neither file
/// (real files, real SQLite).
/// </summary>
[TestFixture]
public sealed class StaleLogTests
{
    // cleanStop: the restored history's last stop was clean (history.db.stopped is there), so any log is from elsewhere;
    // otherwise (a crash, or a server from before the mark) the log is refused because the two read together are damaged.
    [TestCase(true, "history.db-wal appeared after the server stopped cleanly", "Move history.db-wal and history.db-shm out of the data directory")]
    [TestCase(false, "history.db-wal does not fit", "delete history.db-wal and history.db-shm")]
    public async Task A_log_from_another_history_is_refused_at_start_by_config_check_and_by_backup_and_both_files_stay_as_they_were(bool cleanStop, string why, string fix)
    {
        using var restored = new TempDirectory();
        using var other = new TempDirectory();
        await using (var store = MessageStore.Open(restored.Path, ServerSettings.Default, startRetention: false))
        {
            for (int i = 0; i < 300; i++)
            {
                await store.AppendRoomAsync("lobby", "alice", $"restored history, message {i}, with some text to fill pages");
            }
        }

        await using (var store = MessageStore.Open(other.Path, ServerSettings.Default, startRetention: false))
        {
            for (int i = 0; i < 200; i++)
            {
                await store.AppendRoomAsync("elsewhere", "bob", $"another history, message {i}");
            }
        }

        await using (var store = MessageStore.Open(other.Path, ServerSettings.Default, startRetention: false))
        {
            for (int i = 0; i < 5; i++)
            {
                await store.AppendRoomAsync("elsewhere", "bob", $"after its last checkpoint {i}");
            }

            // As a crash leaves it: the log of the other file, with frames no checkpoint copied yet.
            File.Copy(other.File("history.db-wal"), restored.File("history.db-wal"));
        }

        File.Exists(restored.File("history.db" + CleanStopMark.Suffix)).Should().BeTrue("the restored history's store was closed cleanly");
        if (!cleanStop)
        {
            File.Delete(restored.File("history.db" + CleanStopMark.Suffix));
        }

        byte[] before = File.ReadAllBytes(restored.File("history.db"));
        long logLength = new FileInfo(restored.File("history.db-wal")).Length;

        var check = FluentActions.Invoking(() => HistoryBackup.Describe(restored.Path)).Should().Throw<HistoryStoreException>().Which;
        var start = FluentActions.Invoking(() => MessageStore.Open(restored.Path, ServerSettings.Default, startRetention: false)).Should().Throw<HistoryStoreException>().Which;
        // The nightly backup run "to be safe" applied the log at its close and deleted it (fault injection, 2026-12-05).
        using var backups = new TempDirectory();
        var backup = FluentActions.Invoking(() => HistoryBackup.Run(restored.Path, backups.File("b.db"))).Should().Throw<HistoryStoreException>().Which;

        foreach (var refused in new[] { check, start, backup })
        {
            refused.Message.Should().Contain(why).And.Contain(fix);
        }

        File.ReadAllBytes(restored.File("history.db")).Should().Equal(before, "nothing was copied into the restored file");
        new FileInfo(restored.File("history.db-wal")).Length.Should().Be(logLength, "the log is left for the operator to look at");
    }

    [Test]
    public async Task A_log_that_fits_but_belongs_to_another_history_is_refused_after_a_clean_stop_and_nothing_is_replaced()
    {
        // Two histories of the same shape: SQLite's check of the two files read together finds nothing wrong, and the
        // start applied the other's log: 200 acknowledged messages were replaced by the other server's 200 (a
        // fault-injection audit, 2026-12-07).
        using var ours = new TempDirectory();
        using var theirs = new TempDirectory();
        foreach (var (directory, text) in new[] { (ours, "ours"), (theirs, "FOREIGN") })
        {
            await using var store = MessageStore.Open(directory.Path, ServerSettings.Default, startRetention: false);
            for (int i = 0; i < 200; i++)
            {
                await store.AppendRoomAsync("lobby", "alice", $"{text} {i}");
            }
        }

        await using (var store = MessageStore.Open(theirs.Path, ServerSettings.Default, startRetention: false))
        {
            (await store.AppendRoomAsync("lobby", "alice", "FOREIGN, after its checkpoint")).Status.Should().Be(AppendStatus.Stored);
            File.Copy(theirs.File("history.db-wal"), ours.File("history.db-wal"));
        }

        byte[] before = File.ReadAllBytes(ours.File("history.db"));
        var start = FluentActions.Invoking(() => MessageStore.Open(ours.Path, ServerSettings.Default, startRetention: false)).Should().Throw<HistoryStoreException>().Which;
        start.Message.Should().Contain("appeared after the server stopped cleanly").And.Contain("history.db.stopped");
        File.ReadAllBytes(ours.File("history.db")).Should().Equal(before);

        // The operator's fix: the stranger moved away, the history starts as it was.
        File.Move(ours.File("history.db-wal"), ours.Path + "/aside.wal");
        File.Delete(ours.File("history.db-shm"));
        await using var reopened = MessageStore.Open(ours.Path, ServerSettings.Default, startRetention: false);
        (await reopened.AppendRoomAsync("lobby", "alice", "ours again")).Status.Should().Be(AppendStatus.Stored);
        File.Exists(ours.File("history.db" + CleanStopMark.Suffix)).Should().BeFalse("a running store may have a log of its own: the mark is cleared at start");
    }

    [Test]
    public async Task A_crash_leaves_no_mark_so_the_history_s_own_log_is_applied_at_the_next_start()
    {
        using var directory = new TempDirectory();
        await using (var store = MessageStore.Open(directory.Path, ServerSettings.Default, startRetention: false))
        {
            (await store.AppendRoomAsync("lobby", "alice", "before the stop")).Status.Should().Be(AppendStatus.Stored);
        }

        // A second run, every file of the data directory copied while it runs: what a kill -9 leaves on disk. The first
        // run's clean stop left the mark; the start must have removed it, or the copy carries it and the restart
        // refuses the history's own log.
        File.Exists(directory.File("history.db" + CleanStopMark.Suffix)).Should().BeTrue("the first run stopped cleanly");
        string crashed = directory.Path + "/crashed";
        Directory.CreateDirectory(crashed);
        await using (var store = MessageStore.Open(directory.Path, ServerSettings.Default, startRetention: false))
        {
            (await store.AppendRoomAsync("lobby", "alice", "acknowledged before the crash")).Status.Should().Be(AppendStatus.Stored);
            foreach (string file in Directory.GetFiles(directory.Path).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(crashed, Path.GetFileName(file)));
            }
        }

        File.Exists(crashed + "/history.db-wal").Should().BeTrue("the running store's log is part of what a crash leaves");
        File.Exists(crashed + "/history.db" + CleanStopMark.Suffix).Should().BeFalse("a running store has no mark");
        await using var restarted = MessageStore.Open(crashed, ServerSettings.Default, startRetention: false);
        (await restarted.AppendRoomAsync("lobby", "alice", "after the restart")).Status.Should().Be(AppendStatus.Stored, "the history's own log is applied as before");
    }
}
