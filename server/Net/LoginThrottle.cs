using System.Collections.Concurrent;
using System.Net;

namespace LanTalk.Server.Net;

/// <summary>
/// Counts failed logins per address and per user name. Past the limit within the window, further attempts are
/// refused for a back-off that doubles with each failure, and the refusal costs no password hashing.
/// </summary>
/// <remarks>
/// The per-name limit is what caps an attacker who spreads guesses over many addresses, but on its own it lets
/// anyone lock anyone out. So, as OWASP's "device cookie" scheme does for browsers, an address that has logged in
/// as that name before is exempt from the name's limit (never from its own per-address limit): the real user gets
/// in from a machine it used before while the guesser stays capped (docs/PROTOCOL.md, "Failed logins").
/// </remarks>
/// <param name="clockMs">The clock of the refusal log lines' interval (tests drive it); the limits use the tick count.</param>
internal sealed class LoginThrottle(int limit, TimeSpan window, Func<long>? clockMs = null)
{
    // Bounds the memory of successful (name, address) pairs; past it the table starts again. Users.xml still
    // remembers each user's last login address, so even then the usual machine stays known.
    private const int MaxKnownPairs = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.OrdinalIgnoreCase);

    // A refused attempt costs the server no hash, and the connection stays open for the next: one WARN each let a
    // client with no account grow the log by about 1 MB a second (a soak audit, 2026-12-07). The first is logged,
    // then one line per interval with the count, as for other refusal floods.
    private readonly Logging.RepeatingFailure _refusalReports = new(RefusalReportInterval, clockMs);

    /// <summary>How often refused attempts are logged while they go on (the first at once).</summary>
    public static readonly TimeSpan RefusalReportInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a refused attempt is logged now; <paramref name="note"/> then says how many were refused since the last
    /// line and not logged one by one (empty when none).
    /// </summary>
    public bool ShouldLogRefusal(out string note)
    {
        bool log = _refusalReports.Occurred(out int silenced, out _);
        note = log && silenced > 0 ? $" ({silenced} more attempt(s) refused for too many failures since the last such line, not logged one by one)" : string.Empty;
        return log;
    }

    /// <summary>
    /// When attempts for this address or name are refused, how long until they are allowed again. The name's limit
    /// does not apply to an address known to have logged in as that name.
    /// </summary>
    public TimeSpan? RetryAfter(IPAddress address, string userName, bool knownAddress) =>
        RetryAfter(address, userName, () => knownAddress);

    /// <summary>As above; <paramref name="isKnownAddress"/> is asked only when the name is actually blocked.</summary>
    public TimeSpan? RetryAfter(IPAddress address, string userName, Func<bool> isKnownAddress)
    {
        long now = Environment.TickCount64;
        long until = BlockedUntil(AddressKey(address));
        long nameUntil = BlockedUntil(NameKey(userName));
        if (nameUntil > now && !isKnownAddress())
        {
            until = Math.Max(until, nameUntil);
        }

        return until > now ? TimeSpan.FromMilliseconds(until - now) : null;
    }

    public void Failed(IPAddress address, string userName)
    {
        long now = Environment.TickCount64;
        Record(AddressKey(address), now);
        Record(NameKey(userName), now);
    }

    /// <summary>
    /// A failure counted against the address only: a Register of a taken name. Its UserExists says that the name has
    /// an account, so without a limit one address could test every name it likes; counting it against the name too
    /// would let anyone lock a user out by registering that user's name.
    /// </summary>
    public void FailedFromAddress(IPAddress address) => Record(AddressKey(address), Environment.TickCount64);

    /// <summary>
    /// Remembers the address as known for the name. The failure counters are left to expire with the window: if a
    /// success cleared them, every login of the real user would hand a guesser a fresh allowance.
    /// </summary>
    public void Succeeded(IPAddress address, string userName)
    {
        if (_known.Count >= MaxKnownPairs)
        {
            _known.Clear();
        }

        _known[PairKey(address, userName)] = 0;
    }

    /// <summary>True when this address has logged in as this name since the server started.</summary>
    public bool HasSucceeded(IPAddress address, string userName) => _known.ContainsKey(PairKey(address, userName));

    private static string AddressKey(IPAddress address) => "ip:" + address;

    private static string NameKey(string userName) => "user:" + userName;

    private static string PairKey(IPAddress address, string userName) => userName + "\n" + address;

    private long BlockedUntil(string key) =>
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
                entry.Penalty = 0;
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
