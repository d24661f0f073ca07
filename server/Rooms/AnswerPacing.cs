namespace LanTalk.Server.Rooms;

/// <summary>
/// Paces one session's history answers (History, Search and a join's replay) to its own reading: the next such
/// request is taken up only once the answers queued before it have been written to the socket. Each answer may fill a quarter of the outbound queue (QueueShare), so a client that pipelined a burst of
/// them (the command bucket allows 100 at once) had all of them read from the store and queued in one go: eight
/// sessions of one user each asking for 100 pages of 200 large messages made the server read and hold hundreds of
/// megabytes at once (RSS 70 -> 345 MB), stalled every other user's messages for about a second (p99 340 ms, up to
/// 1 s, sustained by logging in again), and then cut the sessions off as slow consumers anyway (an abuse audit,
/// 2026-12-07). Waiting here holds the request unread, so TCP's flow control paces the client instead.
/// </summary>
internal sealed class AnswerPacing
{
    // Polling stops after this long whatever happens: a peer that reads nothing is cut off as a slow consumer within
    // seconds, which ends the wait sooner; the gate that waits on it is bounded too (MaxGateWait).
    private const long PollLimitMs = 30_000;

    // The FramesQueued mark the session's last history answer reached: written once FramesWritten reaches it.
    private long _mark;

    /// <summary>Records that a history answer (with its end) has just been queued to <paramref name="session"/>.</summary>
    public void Queued(ISessionOutput session)
    {
        long now = session.FramesQueued;
        long seen;
        while ((seen = Volatile.Read(ref _mark)) < now && Interlocked.CompareExchange(ref _mark, now, seen) != seen)
        {
        }
    }

    /// <summary>Completes once every history answer queued so far to <paramref name="session"/> is written, or it is closing.</summary>
    public Task WhenWritten(ISessionOutput session)
    {
        long mark = Volatile.Read(ref _mark);
        return session.FramesWritten >= mark || session.IsClosing ? Task.CompletedTask : WrittenAsync(session, mark);
    }

    private static async Task WrittenAsync(ISessionOutput session, long mark)
    {
        long bound = Environment.TickCount64 + PollLimitMs;
        // As the offline delivery waits for its batches to be written: no event marks a write, and a wait here is rare
        // (only a client with a history answer still unread) and short for a client that reads.
        for (int round = 0; session.FramesWritten < mark && !session.IsClosing && Environment.TickCount64 < bound; round++)
        {
            await Task.Delay(round < 20 ? 1 : 10).ConfigureAwait(false);
        }
    }
}
