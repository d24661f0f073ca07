using System.Diagnostics;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Transport;

/// <summary>Load-aware coalescing: a busy process lets frames gather until the next tick; a quiet one sends at once.</summary>
public sealed class WriteCoalescerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static ReadOnlyMemory<byte> Frame(byte tag) => new byte[] { tag };

    [Test]
    public async Task A_busy_writer_waits_for_the_tick_and_takes_everything_queued_meanwhile_in_one_batch()
    {
        // Busy from the first measurement on (any rate exceeds -1). The tick is long, so a writer that did not
        // wait for it would finish long before the next one.
        var coalescer = new WriteCoalescer(busyFramesPerSecond: -1, tickMs: 2_000);
        SpinWait.SpinUntil(() => coalescer.IsBusy, Timeout).Should().BeTrue("the coalescer measures its first window");
        var queue = new OutboundQueue(100, 1 << 20, coalescer);
        queue.TryEnqueue(Frame(1)).Should().Be(EnqueueResult.Queued);
        long ticks = coalescer.Ticks;

        var take = queue.TakeAllAsync(new List<ReadOnlyMemory<byte>>()).AsTask();
        queue.TryEnqueue(Frame(2)).Should().Be(EnqueueResult.Queued);
        queue.TryEnqueue(Frame(3)).Should().Be(EnqueueResult.Queued);

        var batch = await take.WaitAsync(Timeout);
        batch!.Select(f => f.Span[0]).Should().Equal(1, 2, 3);
        coalescer.Ticks.Should().BeGreaterThan(ticks, "the batch was released by a tick, not by the first enqueue");
    }

    [Test]
    public async Task A_quiet_writer_takes_the_first_frame_without_waiting_for_a_tick()
    {
        var coalescer = new WriteCoalescer(busyFramesPerSecond: long.MaxValue, tickMs: 60_000);
        var queue = new OutboundQueue(100, 1 << 20, coalescer);

        var take = queue.TakeAllAsync(new List<ReadOnlyMemory<byte>>()).AsTask();
        queue.TryEnqueue(Frame(7)).Should().Be(EnqueueResult.Queued);

        var batch = await take.WaitAsync(Timeout);
        batch!.Select(f => f.Span[0]).Should().Equal(7);
        coalescer.IsBusy.Should().BeFalse();
    }

    [Test]
    public void A_burst_makes_the_process_busy_before_the_measuring_window_ends()
    {
        // 100,000 frames a second is 10,000 per 100 ms window; the window here never ends within the test.
        var coalescer = new WriteCoalescer(busyFramesPerSecond: 100_000, tickMs: 60_000);
        coalescer.NoteFrames(10_000);
        coalescer.IsBusy.Should().BeFalse("exactly the threshold is not over it");

        coalescer.NoteFrames(1);

        coalescer.IsBusy.Should().BeTrue("a burst is coalesced from its first ten thousand frames on, not after the window");
    }

    [Test]
    public void Direct_writes_that_take_over_half_a_core_make_the_process_busy_at_any_frame_rate()
    {
        // No frame rate is busy here, and the window never ends within the test: only the time spent counts.
        var coalescer = new WriteCoalescer(busyFramesPerSecond: long.MaxValue, tickMs: 60_000);
        long shareOfTheWindow = (long)(Stopwatch.Frequency * WriteCoalescer.DirectWriteShare / 10);
        coalescer.NoteDirectWrite(shareOfTheWindow);
        coalescer.IsBusy.Should().BeFalse("exactly the share of the 100 ms window is not over it");

        coalescer.NoteDirectWrite(1);

        coalescer.IsBusy.Should().BeTrue("sends straight from the fan-out that eat the core are what coalescing saves");
    }

    [Test]
    public void Busy_from_costly_direct_writes_ends_after_a_window_without_them()
    {
        var coalescer = new WriteCoalescer(busyFramesPerSecond: long.MaxValue, tickMs: 5);
        coalescer.NoteDirectWrite(Stopwatch.Frequency / 2);
        coalescer.IsBusy.Should().BeTrue("half a second of sends in one window is far over half a core");
        SpinWait.SpinUntil(() => coalescer.Ticks >= 25, Timeout).Should().BeTrue("the coalescer ticks");

        // The measuring windows after the costly one saw no direct writes, so the process is quiet again.
        SpinWait.SpinUntil(() => !coalescer.IsBusy, Timeout).Should().BeTrue("busy is decided per window, not latched");
    }
}
