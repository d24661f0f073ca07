using System.Net;

namespace LanTalk.Server.Net;

/// <summary>
/// Caps the accounts Register creates per address and server-wide within a sliding window. Every account brings
/// its own per-account allowances (MaxRoomsPerUser, OfflineMessagesPerSender, MaxSessionsPerUser), so without this
/// one host multiplied them at will: 25 accounts in 15 s (a security audit, 2026-12-06).
/// </summary>
/// <remarks>
/// A registration takes its place before the password is hashed and gives it back when no account came of it
/// (a taken name, a closed connection, a full disk), so concurrent Registers cannot overshoot the limit and a
/// refusal costs no hashing.
/// </remarks>
internal sealed class RegistrationThrottle(int perAddress, int perServer, TimeSpan window)
{
    // Bounds the table: past it, addresses whose registrations all left the window are dropped.
    private const int PruneAbove = 10_000;

    private readonly object _lock = new();
    private readonly Dictionary<string, Queue<long>> _byAddress = new(StringComparer.Ordinal);
    private readonly Queue<long> _all = new();

    /// <summary>
    /// Takes a place for a registration from <paramref name="address"/>; null when taken, else how long until a
    /// place frees up and whose limit it is (the address's or the server's).
    /// </summary>
    public (TimeSpan Wait, bool ServerWide)? TryTake(IPAddress address) => TryTake(address, Environment.TickCount64);

    internal (TimeSpan Wait, bool ServerWide)? TryTake(IPAddress address, long now)
    {
        long windowMs = (long)window.TotalMilliseconds;
        lock (_lock)
        {
            Expire(_all, now, windowMs);
            string key = address.ToString();
            if (!_byAddress.TryGetValue(key, out var mine))
            {
                mine = new Queue<long>();
                _byAddress[key] = mine;
            }

            Expire(mine, now, windowMs);
            if (mine.Count >= perAddress)
            {
                return (TimeSpan.FromMilliseconds(mine.Peek() + windowMs - now), false);
            }

            if (_all.Count >= perServer)
            {
                return (TimeSpan.FromMilliseconds(_all.Peek() + windowMs - now), true);
            }

            mine.Enqueue(now);
            _all.Enqueue(now);
            Prune(now, windowMs);
            return null;
        }
    }

    /// <summary>Gives back the newest place of <paramref name="address"/>: its registration created no account.</summary>
    public void GiveBack(IPAddress address)
    {
        lock (_lock)
        {
            if (_byAddress.TryGetValue(address.ToString(), out var mine) && mine.Count > 0 && _all.Count > 0)
            {
                // Queues drop from the front only, so the newest entry goes by rebuilding: at most the limit's length.
                Drop(mine);
                Drop(_all);
            }
        }
    }

    private static void Drop(Queue<long> queue)
    {
        var kept = queue.ToArray()[..^1];
        queue.Clear();
        foreach (long t in kept)
        {
            queue.Enqueue(t);
        }
    }

    private static void Expire(Queue<long> queue, long now, long windowMs)
    {
        while (queue.Count > 0 && now - queue.Peek() >= windowMs)
        {
            queue.Dequeue();
        }
    }

    private void Prune(long now, long windowMs)
    {
        if (_byAddress.Count <= PruneAbove)
        {
            return;
        }

        foreach (var (key, queue) in _byAddress.ToList())
        {
            Expire(queue, now, windowMs);
            if (queue.Count == 0)
            {
                _byAddress.Remove(key);
            }
        }
    }
}
