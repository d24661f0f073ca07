using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// HistoryPowerSafe off: puts committed WAL frames on the disk at most <see cref="Delay"/> after the first commit that
/// is not there yet, on its own thread. It used to run on the writer thread, and the fsync of a second's worth of log
/// (several ms) then held up every message queued behind it: rooms' p99 was 9.7 ms with HistoryPowerSafe off against
/// 4.6 ms with a flush per commit. An fsync on another descriptor of the same file flushes the same pages, and it
/// needs no SQLite lock (those are on -shm), so it may run while the writer commits. Owns its thread and
/// <see cref="_gate"/>.
/// </summary>
internal sealed class WalFlusher : IDisposable
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

    // Guards _dueTicks and _stopping.
    private readonly object _gate = new();
    private readonly string _walPath;
    private readonly Thread _thread;

    // When the oldest commit not yet flushed must be on the disk; 0 = everything committed is flushed.
    private long _dueTicks;
    private bool _stopping;
    private bool _failing;
    private long _flushes;

    public WalFlusher(string walPath, TimeSpan delay)
    {
        _walPath = walPath;
        Delay = delay;
        _thread = new Thread(Run) { IsBackground = true, Name = "history flush" };
        _thread.Start();
    }

    public TimeSpan Delay { get; }

    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Raised on the flush thread after each flush (tests wait on it).</summary>
    public event Action? Flushed;

    /// <summary>The writer committed: what it wrote must be flushed within <see cref="Delay"/>.</summary>
    public void NoteCommit()
    {
        lock (_gate)
        {
            if (_dueTicks == 0)
            {
                _dueTicks = Environment.TickCount64 + (long)Delay.TotalMilliseconds;
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Stops the thread, then flushes what is left on the caller's thread (the writer's, when it closes).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
        bool pending;
        lock (_gate)
        {
            pending = _dueTicks != 0;
            _dueTicks = 0;
        }

        if (pending)
        {
            FlushOnce();
        }
    }

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                while (!_stopping && (_dueTicks == 0 || Environment.TickCount64 < _dueTicks))
                {
                    if (_dueTicks == 0)
                    {
                        Monitor.Wait(_gate);
                    }
                    else
                    {
                        Monitor.Wait(_gate, TimeSpan.FromMilliseconds(Math.Max(1, _dueTicks - Environment.TickCount64)));
                    }
                }

                if (_stopping)
                {
                    return;
                }

                // Taken before the fsync: a commit that lands during it sets a new deadline and gets its own flush.
                _dueTicks = 0;
            }

            if (!FlushOnce())
            {
                lock (_gate)
                {
                    if (_dueTicks == 0)
                    {
                        _dueTicks = Environment.TickCount64 + (long)Delay.TotalMilliseconds;
                    }
                }
            }
        }
    }

    private bool FlushOnce()
    {
        try
        {
            Users.DiskFlush.Path(_walPath);

            Interlocked.Increment(ref _flushes);
            _failing = false;
            Flushed?.Invoke();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failing)
            {
                // Once per failure, not once a second: the commits themselves report a disk that stays broken.
                s_log.Warn("History could not flush {File} to the disk: {Error}; trying again every second", _walPath, ex.Message);
                _failing = true;
            }

            return false;
        }
    }
}
