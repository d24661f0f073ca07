using NLog;

namespace LanTalk.Server.Net;

/// <summary>
/// Gives memory back to the machine once a storm of connections is over. The GC collects its oldest generation
/// only when allocation forces it, so what a login storm promoted there and then dropped (handshakes, login
/// replies, presence batches that were in flight while thousands of logins overlapped) stays committed for as
/// long as the server idles afterwards. Measured (the harness's capacity scenario, 19,700 idle clients): 12–13 KB
/// of RSS per idle connection right after the storm, 4.5 KB after one compacting collection.
/// So once at least <see cref="MinChurn"/> connections came or went since the last trim, and none for
/// <see cref="QuietMs"/>, and the GC heap has grown by <see cref="MinGrowthBytes"/> since then, the once-a-second
/// sweep runs one blocking, compacting collection that decommits what it frees: 100 ms at 19,700 connections.
/// At most once per storm: a steady trickle of reconnects never reaches a quiet moment with enough churn behind
/// it, and a storm too small to leave much behind (the crowd scenario's 1,000 logins, about 13 MB) is not worth
/// pausing the chat for.
/// The collection also waits while the chat is busy (more than <see cref="QuietFramesPerSecond"/> frames written in
/// the last second), for up to <see cref="MaxWaitMs"/>: the pause holds every delivery, and 1,000 IRC users who
/// logged in and then chatted at once (the IRC crowd scenario) met it 300 ms into their chat, as a 264-292 ms stall
/// that was the run's whole p99. A chat busy for ten minutes on end gets its trim anyway.
/// Counting is lock-free (any accept or close thread); <see cref="TryTrim"/> runs on the sweep's timer only.
/// </summary>
internal sealed class HeapTrim
{
    /// <summary>Connections opened or closed since the last trim before one is worth a full collection.</summary>
    public const int MinChurn = 1_000;

    /// <summary>How long no connection may have come or gone: the storm is over, not paused between waves.</summary>
    public const long QuietMs = 2_000;

    /// <summary>How much the GC heap must have grown since the last trim (or the start) to be worth a pause.</summary>
    public const long MinGrowthBytes = 64L << 20;

    /// <summary>Frames a second the chat may write for a trim's pause to go ahead: a few dozen people talking, not a flood.</summary>
    public const long QuietFramesPerSecond = 2_000;

    /// <summary>How long a due trim waits for a quiet chat before it runs anyway.</summary>
    public const long MaxWaitMs = 10 * 60 * 1000;

    private static readonly Logger s_log = LogManager.GetCurrentClassLogger();

    // The sweep's last look at the frames written so far, and when (Environment.TickCount64); the sweep's thread only.
    private long _framesSeen = -1;
    private long _framesSeenAt;

    // When the current storm's trim first fell due while the chat was busy, or 0; the sweep's thread only.
    private long _dueSince;

    private long _churn;
    private long _lastChurnTicks;

    // The GC heap's committed bytes after the last trim; the sweep's thread only.
    private long _committedAfterTrim = GC.GetGCMemoryInfo().TotalCommittedBytes;

    /// <summary>A connection was accepted or ended.</summary>
    public void Note() => Note(Environment.TickCount64);

    /// <summary>A connection was accepted or ended at <paramref name="now"/> (Environment.TickCount64).</summary>
    internal void Note(long now)
    {
        Interlocked.Increment(ref _churn);
        Volatile.Write(ref _lastChurnTicks, now);
    }

    /// <summary>Whether a trim is due at <paramref name="now"/> (Environment.TickCount64).</summary>
    public bool IsDue(long now) => Volatile.Read(ref _churn) >= MinChurn && now - Volatile.Read(ref _lastChurnTicks) >= QuietMs;

    /// <summary>
    /// Whether the chat is quiet enough for a pause at <paramref name="now"/>, given <paramref name="framesSoFar"/>
    /// written since the start (<see cref="LanTalk.Core.Transport.WriteCoalescer.FramesSoFar"/>). The rate is over
    /// the time since the last call; the first call has none to go by and says busy.
    /// </summary>
    internal bool ChatIsQuiet(long now, long framesSoFar)
    {
        long frames = framesSoFar - _framesSeen;
        long elapsedMs = now - _framesSeenAt;
        bool first = _framesSeen < 0;
        _framesSeen = framesSoFar;
        _framesSeenAt = now;
        // A count read while the writer thread rolled its window over can come out a little short: never negative.
        return !first && elapsedMs > 0 && Math.Max(0, frames) * 1000 / elapsedMs <= QuietFramesPerSecond;
    }

    /// <summary>
    /// Trims when due, worth it and the chat is quiet (or has been busy for <see cref="MaxWaitMs"/> since the trim fell
    /// due); true when it did. A storm that left too little is forgotten.
    /// </summary>
    /// <param name="framesSoFar">Frames written since the start (<see cref="LanTalk.Core.Transport.WriteCoalescer.FramesSoFar"/>).</param>
    public bool TryTrim(long now, long framesSoFar)
    {
        bool quiet = ChatIsQuiet(now, framesSoFar);
        if (!IsDue(now))
        {
            _dueSince = 0;
            return false;
        }

        if (!quiet)
        {
            if (_dueSince == 0)
            {
                _dueSince = now;
            }

            if (now - _dueSince < MaxWaitMs)
            {
                return false;
            }
        }

        _dueSince = 0;

        // A connection noted between the check and this reset is simply not counted towards the next trim.
        long churn = Interlocked.Exchange(ref _churn, 0);
        long committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        if (committedBefore - _committedAfterTrim < MinGrowthBytes)
        {
            return false;
        }

        long started = Environment.TickCount64;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long pauseMs = Environment.TickCount64 - started;
        long committedAfter = GC.GetGCMemoryInfo().TotalCommittedBytes;
        _committedAfterTrim = committedAfter;
        s_log.Info("Returned memory after {Churn} connections came or went: GC heap committed {Before:0.0} -> {After:0.0} MB, in {Pause} ms",
            churn, committedBefore / 1048576.0, committedAfter / 1048576.0, pauseMs);
        return true;
    }
}
