using NLog;

namespace LanTalk.Server.Discovery;

/// <summary>
/// RFC 6762 §8.1 probing, kept apart from the socket and the clock so its schedule is unit tested: three probes
/// 250 ms apart; a conflict renames and probes the new name; once 15 conflicts came within 10 s, at least 5 s pass
/// before each further attempt. It returns only when a name went through three probes unanswered, so the server
/// never announces a name it did not probe. It stopped after 15 renames and announced the 16th name unprobed
/// (a discovery audit, 2026-12-06); cancellation (the server stopping) is what ends an endless conflict now.
/// </summary>
internal sealed class Prober(Func<TimeSpan, CancellationToken, Task> delay, Func<long> nowMs)
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Discovery");

    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>RFC 6762 §8.1: the wait before each attempt once conflicts come too fast.</summary>
    public static readonly TimeSpan ThrottledInterval = TimeSpan.FromSeconds(5);

    private const int ConflictsBeforeThrottling = 15;
    private const long ConflictWindowMs = 10_000;

    /// <param name="sendProbe">Sends one probe for the current names.</param>
    /// <param name="conflictSeen">True when another host answered for (or out-probed) the current names.</param>
    /// <param name="rename">Picks the next names and forgets the conflict.</param>
    public async Task RunAsync(Action sendProbe, Func<bool> conflictSeen, Action rename, CancellationToken token)
    {
        var conflicts = new Queue<long>();
        bool throttled = false;
        while (true)
        {
            for (int probe = 0; probe < 3 && !conflictSeen(); probe++)
            {
                sendProbe();
                await delay(ProbeInterval, token).ConfigureAwait(false);
            }

            if (!conflictSeen())
            {
                return;
            }

            rename();
            long now = nowMs();
            conflicts.Enqueue(now);
            while (now - conflicts.Peek() > ConflictWindowMs)
            {
                conflicts.Dequeue();
            }

            // Once throttled, it stays so: a host that answers every probe would otherwise get 15 fast ones every 10 s.
            if (!throttled && conflicts.Count >= ConflictsBeforeThrottling)
            {
                throttled = true;
                s_log.Warn("Discovery: {Count} names in a row are taken on the LAN; probing goes on with one name every {Seconds} s (RFC 6762 §8.1), and the server is announced once a name is free",
                    conflicts.Count, ThrottledInterval.TotalSeconds);
            }

            if (throttled)
            {
                await delay(ThrottledInterval, token).ConfigureAwait(false);
            }
        }
    }
}
