using System.Collections.Concurrent;
using System.Net;

namespace LanTalk.Server.Net;

/// <summary>
/// Counts failed logins per address and per user name. Past the limit within the window, further attempts are
/// refused for a back-off that doubles with each refusal, and the refusal costs no password hashing.
/// </summary>
internal sealed class LoginThrottle(int limit, TimeSpan window)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When attempts for this address or name are refused, how long until they are allowed again.</summary>
    public TimeSpan? RetryAfter(IPAddress address, string userName)
    {
        long now = Environment.TickCount64;
        long until = Math.Max(BlockedUntil("ip:" + address, now), BlockedUntil("user:" + userName, now));
        return until > now ? TimeSpan.FromMilliseconds(until - now) : null;
    }

    public void Failed(IPAddress address, string userName)
    {
        long now = Environment.TickCount64;
        Record("ip:" + address, now);
        Record("user:" + userName, now);
    }

    public void Succeeded(IPAddress address, string userName)
    {
        _entries.TryRemove("ip:" + address, out _);
        _entries.TryRemove("user:" + userName, out _);
    }

    private long BlockedUntil(string key, long now) =>
        _entries.TryGetValue(key, out var entry) ? Volatile.Read(ref entry.BlockedUntil) : 0;

    private void Record(string key, long now)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            if (now - entry.WindowStart > (long)window.TotalMilliseconds)
            {
                entry.WindowStart = now;
                entry.Failures = 0;
            }

            entry.Failures++;
            if (entry.Failures >= limit)
            {
                // 1 s, 2 s, 4 s ... capped at the window: a guesser gets a handful of tries per window at most.
                entry.Penalty = Math.Min(entry.Penalty == 0 ? 1000 : entry.Penalty * 2, (long)window.TotalMilliseconds);
                Volatile.Write(ref entry.BlockedUntil, now + entry.Penalty);
            }
        }

        Prune(now);
    }

    // Bounded memory: a spray of names cannot grow the table without limit.
    private void Prune(long now)
    {
        if (_entries.Count < 10_000)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (now - entry.WindowStart > (long)window.TotalMilliseconds && Volatile.Read(ref entry.BlockedUntil) < now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry
    {
        public long WindowStart = Environment.TickCount64;
        public int Failures;
        public long Penalty;
        public long BlockedUntil;
    }
}
