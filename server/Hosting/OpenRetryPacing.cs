namespace LanTalk.Server.Hosting;

/// <summary>
/// When start-up tries again to open history.db after a failure waiting may mend (a read-only or full file system).
/// A cheap attempt (a few syscalls) is repeated every <see cref="Interval"/>, so chat starts within seconds of the
/// fix. An expensive one, an upgrade that rebuilt the search index until the disk was full, is repeated only once
/// more space is free than the attempt started with (it cannot succeed with less), or after <see cref="MaxWait"/>:
/// before, it was repeated every 2 s for ever, each time filling the disk to the brim again and keeping a core busy
/// (a fault-injection audit, 2026-12-07: schema 5 to 7 of 400,000 messages on a 135 MB file system).
/// </summary>
internal sealed class OpenRetryPacing(TimeSpan interval, TimeSpan expensive, TimeSpan maxWait)
{
    /// <summary>
    /// More than the attempt started with by this much: closing the failed attempt's store gives back its log and
    /// temporary pages, which can leave a few KB more free than before and is no reason to fill the disk again.
    /// </summary>
    public const long SpaceMargin = 1024 * 1024;

    private long _failedAtMs;
    private bool _waitForSpace;
    private long _freeBefore;

    /// <summary>How often the condition to try again is looked at (and a cheap attempt repeated).</summary>
    public TimeSpan Interval { get; } = interval;

    /// <summary>The longest an expensive attempt waits for space before it is tried again anyway (the space may come back in a way free bytes do not show).</summary>
    public TimeSpan MaxWait { get; } = maxWait;

    /// <summary>
    /// Notes a failed attempt that ran for <paramref name="took"/>, started with <paramref name="freeBefore"/> bytes
    /// free (null: unknown) and failed at <paramref name="nowMs"/>. True when it was expensive and the next waits for space.
    /// </summary>
    public bool Failed(TimeSpan took, long? freeBefore, long nowMs)
    {
        _failedAtMs = nowMs;
        _waitForSpace = took >= expensive && freeBefore is not null;
        _freeBefore = freeBefore ?? 0;
        return _waitForSpace;
    }

    /// <summary>True when the next attempt should be made now, given the free bytes now (null: unknown).</summary>
    public bool ShouldRetry(long nowMs, long? freeNow)
    {
        long waited = nowMs - _failedAtMs;
        if (waited < (long)Interval.TotalMilliseconds)
        {
            return false;
        }

        return !_waitForSpace || freeNow is null || freeNow >= _freeBefore + SpaceMargin || waited >= (long)MaxWait.TotalMilliseconds;
    }
}
