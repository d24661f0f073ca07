using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// When SQLite cannot commit, nothing is acknowledged, appends fail fast, and writing resumes by itself. The full
/// disk is SQLite's own: PRAGMA max_page_count caps the file at its current size, so the next growth fails with
/// SQLITE_FULL exactly as a full file system makes it fail (scripts/fault-disk.sh does it with a real tmpfs).
/// </summary>
[TestFixture]
public sealed class StorageFailureTests
{
    [Test]
    public async Task A_full_database_refuses_with_StorageUnavailable_fails_fast_and_recovers_by_itself()
    {
        await using var h = new HistoryFixture();
        var kept = await h.Store.AppendRoomAsync("lobby", "alice", "before the disk filled");
        var changes = new List<bool>();
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.AvailabilityChanged += up =>
        {
            lock (changes)
            {
                changes.Add(up);
            }

            if (up)
            {
                recovered.TrySetResult();
            }
        };
        long pages = await h.Store.WriteAsync(w => SetMaxPages(w, 0));
        h.Store.Health.RetryAfterMs = 60_000;
        string big = new('x', 64 * 1024);

        AppendResult failed = default;
        for (int i = 0; i < 100 && failed.Status != AppendStatus.StorageUnavailable; i++)
        {
            failed = await h.Store.AppendRoomAsync("lobby", "alice", big + i);
        }

        failed.Status.Should().Be(AppendStatus.StorageUnavailable);
        failed.Id.Should().Be(0, "nothing is acknowledged that is not stored");
        h.Store.Available.Should().BeFalse();
        long operations = h.Store.Operations;
        var fast = h.Store.AppendRoomAsync("lobby", "alice", "while full");
        fast.IsCompleted.Should().BeTrue("while the disk is known to be full an append is refused at once, without queueing");
        (await fast).Status.Should().Be(AppendStatus.StorageUnavailable);

        // Space returns: the next group after the retry interval tries again and succeeds.
        h.Store.Health.RetryAfterMs = 0;
        await h.Store.WriteAsync(w => SetMaxPages(w, pages * 1000));
        var after = await h.Store.AppendRoomAsync("lobby", "alice", "after space returned");

        after.Status.Should().Be(AppendStatus.Stored);
        after.Id.Should().BeGreaterThan(kept.Id);
        (await Task.WhenAny(recovered.Task, Task.Delay(TimeSpan.FromSeconds(5)))).Should().BeSameAs(recovered.Task);
        lock (changes)
        {
            changes.Should().Equal(false, true);
        }

        h.Store.Operations.Should().BeGreaterThan(operations);
        h.Store.Latest("lobby", 10).Select(m => m.Text).Should().Equal("before the disk filled", "after space returned");
        var reopened = await h.ReopenAsync();
        reopened.Latest("lobby", 10).Should().HaveCount(2, "no refused message was stored");
    }

    /// <summary>Caps the file at its current size plus <paramref name="extra"/> pages; returns the current page count.</summary>
    private static long SetMaxPages(HistoryWriter writer, long extra)
    {
        using var command = writer.Connection.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        long pages = (long)command.ExecuteScalar()!;
        command.CommandText = $"PRAGMA max_page_count = {pages + extra}";
        command.ExecuteScalar();
        return pages;
    }
}
