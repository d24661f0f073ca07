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
    [Test]
    public async Task A_log_from_another_history_is_refused_at_start_by_config_check_and_by_backup_and_both_files_stay_as_they_were()
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

        byte[] before = File.ReadAllBytes(restored.File("history.db"));
        long logLength = new FileInfo(restored.File("history.db-wal")).Length;

        var check = FluentActions.Invoking(() => HistoryBackup.Describe(restored.Path)).Should().Throw<HistoryStoreException>().Which;
        var start = FluentActions.Invoking(() => MessageStore.Open(restored.Path, ServerSettings.Default, startRetention: false)).Should().Throw<HistoryStoreException>().Which;
        // The nightly backup run "to be safe" applied the log at its close and deleted it (fault injection, 2026-12-05).
        using var backups = new TempDirectory();
        var backup = FluentActions.Invoking(() => HistoryBackup.Run(restored.Path, backups.File("b.db"))).Should().Throw<HistoryStoreException>().Which;

        foreach (var refused in new[] { check, start, backup })
        {
            refused.Message.Should().Contain("history.db-wal does not fit").And.Contain("delete history.db-wal and history.db-shm");
        }

        File.ReadAllBytes(restored.File("history.db")).Should().Equal(before, "nothing was copied into the restored file");
        new FileInfo(restored.File("history.db-wal")).Length.Should().Be(logLength, "the log is left for the operator to look at");
    }
}
