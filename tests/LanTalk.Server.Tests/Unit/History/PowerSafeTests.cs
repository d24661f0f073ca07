using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>HistoryPowerSafe: a flush per commit (the default), or a delayed flush that bounds what a power cut can take.</summary>
[TestFixture]
public sealed class PowerSafeTests
{
    [Test]
    public async Task By_default_every_commit_is_flushed_to_the_disk()
    {
        await using var h = new HistoryFixture();

        (await SynchronousMode(h.Store)).Should().Be(2, "synchronous=FULL fsyncs the WAL at every commit");
    }

    [Test]
    public async Task Off_commits_reach_the_disk_in_a_delayed_flush_and_are_still_acknowledged_after_the_commit()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryPowerSafe = false });
        (await SynchronousMode(h.Store)).Should().Be(1, "synchronous=NORMAL leaves the flush to the writer");
        h.Store.Flushes.Should().Be(0, "nothing was committed yet");
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.Flushed += () => flushed.TrySetResult();

        var result = await h.Store.AppendRoomAsync("lobby", "alice", "hello");

        result.Status.Should().Be(AppendStatus.Stored);
        // The flush comes HistoryWriter.FlushDelayMs after the commit; the bound is generous for a busy machine.
        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        h.Store.Flushes.Should().Be(1, "one commit was waiting for its flush");
        (await h.ReopenAsync()).LastId.Should().Be(1);
    }

    [Test]
    public async Task Off_the_delayed_flush_runs_on_its_own_thread_so_commits_never_wait_behind_it()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryPowerSafe = false });
        var flushedOn = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.Flushed += () => flushedOn.TrySetResult(Thread.CurrentThread.Name);

        (await h.Store.AppendRoomAsync("lobby", "alice", "hello")).Status.Should().Be(AppendStatus.Stored);

        // On the writer thread, a second's worth of log took several ms to reach the disk, and every message queued
        // meanwhile waited for it.
        (await flushedOn.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("history flush");
    }

    [Test]
    public async Task Off_a_clean_stop_inside_the_delay_still_flushes_what_was_committed()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryPowerSafe = false });
        (await h.Store.AppendRoomAsync("lobby", "alice", "hello")).Status.Should().Be(AppendStatus.Stored);
        var store = h.Store;

        var reopened = await h.ReopenAsync();

        store.Flushes.Should().Be(1, "closing flushes the commit that was still waiting for its delay");
        reopened.LastId.Should().Be(1);
    }

    private static Task<long> SynchronousMode(MessageStore store) => store.WriteAsync(w =>
    {
        using var command = w.Connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return (long)command.ExecuteScalar()!;
    });
}
