using System.Collections.Concurrent;
using System.Diagnostics;

namespace LanTalk.Core.Transport;

/// <summary>
/// Load-aware write coalescing, shared by every connection of a process that opts in. While the process sends
/// more than <see cref="BusyFramesPerSecond"/> frames a second, a woken writer waits for the next tick
/// (at most <see cref="TickMs"/> ms) before draining its queue, so one send carries every frame that arrived
/// meanwhile. The process is also busy while frames written straight from producers' threads take more than
/// <see cref="DirectWriteShare"/> of a core. Below both, writers send at once and add no latency.
/// </summary>
/// <remarks>
/// A public message to N clients costs N sends; on two cores that is where the time goes (perf: over half of the
/// server's CPU in sendto). Fewer, fuller sends cut CPU on both ends of every socket, which at saturation is what
/// bounds latency. Nagle would do the same blindly, and add its delay at low load too.
/// </remarks>
public sealed class WriteCoalescer
{
    /// <summary>
    /// A chatty room of 32 (design-32) sends ~20k frames a second and never lingers; a crowd of 1,000 sends ~500k.
    /// Frames, not sends, so that coalescing itself does not switch coalescing off.
    /// </summary>
    public const int BusyFramesPerSecond = 100_000;

    /// <summary>
    /// The most a frame waits. Measured on crowd (2 cores): 5 ms saved 9 % of server CPU per delivery, 10 ms 14 %,
    /// 20 ms 33 % but with a higher p99; 10 ms is below what a person notices in a chat.
    /// </summary>
    public const int TickMs = 10;

    /// <summary>
    /// The share of one core that sends straight from the fan-out may take before the process counts as busy.
    /// </summary>
    /// <remarks>
    /// The frame rate alone let a saturated server settle where it never coalesced: a public message to 1,000 sent
    /// straight from the fan-out is 1,000 sends of one frame each, each waking its reader; at 25-30 us a send two
    /// threads wrote only ~50,000 frames a second, under the threshold, for seconds (crowd: p99 0.95-29 s in 5 runs
    /// of 5, where the coalesced path keeps up with 500,000 a second). Time spent is what saturation looks like
    /// at any rate: those windows spent 130-170 ms of sends per 100 ms. design-32 spends 30-45 ms per 100 ms here
    /// (2,100 frames at 15-18 us each), so half a core leaves it its direct path; a quarter did not.
    /// </remarks>
    public const double DirectWriteShare = 0.5;

    private const int MeasureMs = 100;

    private readonly ConcurrentQueue<WriterSignal> _lingering = new();
    private readonly ConcurrentQueue<ITickFlush> _flushes = new();
    private readonly long _busyFramesPerSecond;
    private readonly long _busyFramesPerWindow;
    private readonly long _busyDirectTicksPerWindow;
    private readonly int _tickMs;
    private long _frames;

    // The frames of the windows before the current one; written by the tick thread only.
    private long _framesBefore;
    private long _directTicks;
    private long _ticks;
    private long _gathered;
    private volatile bool _busy;

    internal WriteCoalescer(long busyFramesPerSecond, int tickMs)
    {
        _busyFramesPerSecond = busyFramesPerSecond;
        // Divided first: tests pass long.MaxValue for "never busy".
        _busyFramesPerWindow = busyFramesPerSecond / 1000 * MeasureMs;
        _busyDirectTicksPerWindow = (long)(Stopwatch.Frequency * DirectWriteShare * MeasureMs / 1000);
        _tickMs = tickMs;
        // One thread, not a Timer: timer callbacks queue behind the very thread-pool work a busy server is short of.
        new Thread(Run) { IsBackground = true, Name = "lantalk write coalescer", Priority = ThreadPriority.AboveNormal }.Start();
    }

    /// <summary>The process-wide instance, started on first use.</summary>
    public static WriteCoalescer Shared => Lazy.Instance;

    /// <summary>
    /// Busy over the last measuring window, or already over the threshold within the current one. The second part
    /// engages coalescing within the first ~10,000 frames of a burst rather than after a whole 100 ms window, in
    /// which every frame would go out in a send of its own (burst-32: 0.17 -> 0.20 us per delivery without it).
    /// </summary>
    public bool IsBusy => _busy || Volatile.Read(ref _frames) > _busyFramesPerWindow || Volatile.Read(ref _directTicks) > _busyDirectTicksPerWindow;

    /// <summary>Ticks so far (each one releases the lingering writers).</summary>
    internal long Ticks => Volatile.Read(ref _ticks);

    /// <summary>Tick writes handed to the kernel in io_uring submissions (tests: whether the tick gathers).</summary>
    internal long GatheredWrites => Interlocked.Read(ref _gathered);

    /// <summary>Counts frames handed to a writer.</summary>
    internal void NoteFrames(int count) => Interlocked.Add(ref _frames, count);

    /// <summary>
    /// Frames handed to writers since the process started, up to the current measuring window (at most 100 ms behind):
    /// how busy the chat is, for work that should wait for a quiet moment (the server's heap trim).
    /// </summary>
    public long FramesSoFar => Volatile.Read(ref _framesBefore) + Volatile.Read(ref _frames);

    /// <summary>Counts the time (<see cref="Stopwatch"/> ticks) a producer spent writing a frame straight to its stream.</summary>
    internal void NoteDirectWrite(long stopwatchTicks) => Interlocked.Add(ref _directTicks, stopwatchTicks);

    /// <summary>Completes at the next tick. The writer must not be reachable by another Set meanwhile.</summary>
    internal ValueTask LingerAsync(WriterSignal signal)
    {
        var wait = signal.WaitAsync();
        _lingering.Enqueue(signal);
        return wait;
    }

    /// <summary>
    /// Writes the connection's queue from this thread at the next tick. The caller has lent the connection's
    /// write token to the coalescer (see <see cref="OutboundQueue"/>), so nobody else writes meanwhile.
    /// </summary>
    /// <remarks>
    /// Why not wake the writer: on crowd (1,000 clients) that is 100,000 writer wake-ups a second, each two trips
    /// through the thread pool (wake, then release at the tick). Writing from the tick thread costs the send alone;
    /// a write the socket does not take at once is handed to the connection's writer, so the tick never blocks.
    /// </remarks>
    internal void FlushAtTick(ITickFlush connection) => _flushes.Enqueue(connection);

    private void Run()
    {
        long windowStart = Environment.TickCount64;
        while (true)
        {
            // Always the short tick: a writer that saw "busy" just before the flag dropped is still released
            // within one tick, and 100 idle wake-ups a second cost nothing measurable.
            Thread.Sleep(_tickMs);
            Interlocked.Increment(ref _ticks);
            while (_lingering.TryDequeue(out var signal))
            {
                signal.Set();
            }

            // Bounded by the count at the start of the tick: a flush that re-registers waits for the next one.
            // The connections' batches go to the kernel together (SendBatch), in submissions of 64.
            long submitted = SendBatch.SubmittedOnThisThread;
            using (SendBatch.Open())
            {
                for (int n = _flushes.Count; n > 0 && _flushes.TryDequeue(out var connection); n--)
                {
                    connection.FlushAtTick();
                }
            }

            Interlocked.Add(ref _gathered, SendBatch.SubmittedOnThisThread - submitted);

            long now = Environment.TickCount64;
            if (now - windowStart >= MeasureMs)
            {
                long frames = Interlocked.Exchange(ref _frames, 0);
                Volatile.Write(ref _framesBefore, _framesBefore + frames);
                long direct = Interlocked.Exchange(ref _directTicks, 0);
                long elapsedMs = now - windowStart;
                _busy = frames * 1000 / elapsedMs > _busyFramesPerSecond
                    || direct > Stopwatch.Frequency * DirectWriteShare * elapsedMs / 1000;
                windowStart = now;
            }
        }
    }

    private static class Lazy
    {
        public static readonly WriteCoalescer Instance = new(BusyFramesPerSecond, TickMs);
    }
}
