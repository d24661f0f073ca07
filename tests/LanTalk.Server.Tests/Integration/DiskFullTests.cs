using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A really full file system: scripts/fault-disk.sh mounts a small tmpfs (root only) and runs this test with
/// LANTALK_FAULT_DIR pointing at it. Everywhere else it is ignored; StorageFailureTests covers the same logic
/// with SQLite's page cap.
/// </summary>
[TestFixture]
[Category("FaultDisk")]
public sealed class DiskFullTests
{
    [Test]
    public async Task On_a_full_disk_nothing_unstored_is_acknowledged_and_writing_resumes_when_space_returns()
    {
        string? mount = Environment.GetEnvironmentVariable("LANTALK_FAULT_DIR");
        if (string.IsNullOrEmpty(mount))
        {
            Assert.Ignore("needs a small tmpfs: run scripts/fault-disk.sh as root");
        }

        string data = Path.Combine(mount, "data-" + Guid.NewGuid().ToString("N"));
        string ballast = Path.Combine(mount, "ballast-" + Guid.NewGuid().ToString("N"));
        // Half the tmpfs goes to a ballast file, deleted later to give space back.
        var free = new DriveInfo(mount).AvailableFreeSpace;
        await File.WriteAllBytesAsync(ballast, new byte[free / 2]);
        var acked = new List<long>();
        await using (var store = MessageStore.Open(data, ServerSettings.Default, startRetention: false))
        {
            string text = new('x', 16 * 1024);
            AppendResult result = default;
            for (int i = 0; i < 10_000 && result.Status != AppendStatus.StorageUnavailable; i++)
            {
                result = await store.AppendRoomAsync("lobby", "alice", text + i);
                if (result.IsStored)
                {
                    acked.Add(result.Id);
                }
            }

            result.Status.Should().Be(AppendStatus.StorageUnavailable, "the tmpfs fills up");
            store.Available.Should().BeFalse("{0} were acknowledged before the disk filled", acked.Count);
            acked.Should().NotBeEmpty();

            File.Delete(ballast);
            // The store retries the disk StorageHealth.RetryAfterMs after the last failure; within 10 s it must work.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            var after = AppendResult.Failed(AppendStatus.StorageUnavailable);
            while (!after.IsStored && DateTime.UtcNow < deadline)
            {
                after = await store.AppendRoomAsync("lobby", "alice", "after space returned");
                if (!after.IsStored)
                {
                    await Task.Delay(store.Health.RetryAfterMs / 4);
                }
            }

            after.Status.Should().Be(AppendStatus.Stored, "writing resumes by itself");
            store.Available.Should().BeTrue("the commit of {0} (after {1} acknowledged) ended the failure", after.Id, acked.Count);
            acked.Add(after.Id);
        }

        // Read back without opening a store: the disk is full again (the log grew into the space the ballast gave
        // back, and the close could not checkpoint it), and a store opens only where it can write (its ids first).
        using (var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "history.db")};Mode=ReadOnly"))
        {
            reader.Open();
            using var command = reader.CreateCommand();
            command.CommandText = "SELECT id FROM messages WHERE room = 'lobby' ORDER BY id";
            var all = new List<long>();
            using (var rows = command.ExecuteReader())
            {
                while (rows.Read())
                {
                    all.Add(rows.GetInt64(0));
                }
            }

            all.Should().Equal(acked, "every acknowledged message is there, and nothing that was refused");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}
