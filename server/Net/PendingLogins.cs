namespace LanTalk.Server.Net;

/// <summary>
/// The pre-login budget: how many connections may be between accept and login at once, in all (MaxPendingLogins)
/// and from one address (MaxPendingLoginsPerAddress; an address is an <see cref="AddressGroup"/>, so an IPv6 /64
/// off the server's links). Both ports (ChatSocket and IRC) share it. Owns its one lock; nothing else is done under it
/// (an eviction's close runs after it is released).
/// </summary>
/// <remarks>
/// <para>When the budget is full, a newcomer from an address that holds fewer slots than the biggest holder (by at
/// least two, so two addresses cannot evict each other back and forth) takes the oldest slot of that holder, whose
/// connection is closed with TooManyConnections. Without this, a host with a few addresses (16 × 4 idle sockets,
/// reopened as LoginTimeout cut them) kept everyone else from logging in; found by fault injection against the
/// published server.</para>
/// <para>That rule cannot help against as many addresses as the budget has slots, each holding one idle connection
/// (a TLS handshake never finished, a Hello never sent): everyone else was refused for as long as they kept it up
/// (a security audit, 2026-12-07). So when no address holds more than its share, the newcomer takes the place of
/// the connection that has waited longest, once that one has waited at least <see cref="EvictionGrace"/>, which a
/// real login (TCP, TLS, Hello, RequestLogin) takes a fraction of. A connection whose login or registration is being
/// checked is never taken this way: the check is the server's work, and evicting it would waste the hash and the
/// user's attempt. An address that lost a connection this way may not take another's this way for
/// <see cref="EvictionCooling"/>, so reconnecting at once to keep every place younger than the grace needs
/// hundreds of addresses, not a few more than the budget.</para>
/// </remarks>
/// <param name="clockMs">The clock of the slots' ages (tests drive it).</param>
internal sealed class PendingLogins(Func<long>? clockMs = null)
{
    /// <summary>
    /// How long a connection keeps its place whatever newcomers come, unless its address holds more than its share.
    /// A login over a LAN, TLS handshake and Hello included, sends its RequestLogin within tens of milliseconds; a
    /// loaded server or a slow Wi-Fi link stays well inside 2 s. A person typing a password at lantalk's prompt holds
    /// a connection opened before the prompt: that one may be taken, and lantalk opens a fresh one when the password
    /// is entered (as after a login timeout), which logs in within the grace.
    /// </summary>
    public static readonly TimeSpan EvictionGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an address whose connection was taken for having waited longest may not take another's that way.
    /// Without it, more sockets than places, each reconnecting the moment it was evicted, kept every place younger
    /// than the grace (about 32 evictions a second from 80 addresses) and a real login lost most races; with it each
    /// address can evict once per cooling, so holding the budget needs hundreds of addresses. A person's lantalk
    /// evicted while the password was typed reconnects through its busy retries (about 9 s) and gets in after it.
    /// </summary>
    public static readonly TimeSpan EvictionCooling = TimeSpan.FromSeconds(5);

    private readonly Func<long> _clockMs = clockMs ?? (() => Environment.TickCount64);
    private readonly Lock _lock = new();

    // Each address's slots, oldest first. Small: at most MaxPendingLoginsPerAddress per address.
    private readonly Dictionary<AddressGroup, List<PendingSlot>> _byAddress = [];

    // Every slot, oldest first: the head is the connection that has waited longest.
    private readonly LinkedList<PendingSlot> _byAge = new();

    // When each address last lost a connection for having waited longest (EvictionCooling); pruned as it grows.
    private readonly Dictionary<AddressGroup, long> _evictedForAge = [];

    /// <summary>Slots held now, in all.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byAge.Count;
            }
        }
    }

    /// <summary>
    /// A slot for a connection from <paramref name="address"/>, or why not. <paramref name="evicted"/> is the slot
    /// this one took the place of (its connection must be closed); its release is already done.
    /// </summary>
    public PendingRefusal TryReserve(AddressGroup address, int perAddressLimit, int limit, out PendingSlot? slot, out PendingSlot? evicted)
    {
        slot = null;
        evicted = null;
        long now = _clockMs();
        lock (_lock)
        {
            int mine = _byAddress.TryGetValue(address, out var own) ? own.Count : 0;
            if (mine >= perAddressLimit)
            {
                return PendingRefusal.PerAddress;
            }

            if (_byAge.Count >= limit)
            {
                if (BiggestHolder() is { } holder && holder.Count >= mine + 2)
                {
                    evicted = holder[0];
                }
                else if (!Cooling(address, now) && LongestWaiting(now) is { } oldest)
                {
                    evicted = oldest;
                    oldest.EvictedForAge = true;
                    NoteEvictedForAge(oldest.Address, now, limit);
                }
                else
                {
                    return PendingRefusal.Budget;
                }

                Remove(evicted);
                // Its own list may have been emptied and dropped with it.
                own = _byAddress.GetValueOrDefault(address);
            }

            slot = new PendingSlot(this, address, now);
            if (own is null)
            {
                own = new List<PendingSlot>(2);
                _byAddress[address] = own;
            }

            own.Add(slot);
            slot.Node = _byAge.AddLast(slot);
            return PendingRefusal.None;
        }
    }

    /// <summary>The addresses holding slots and how many each, biggest first (at most <paramref name="top"/>).</summary>
    public KeyValuePair<AddressGroup, int>[] Holders(int top)
    {
        lock (_lock)
        {
            return [.. _byAddress.Select(p => KeyValuePair.Create(p.Key, p.Value.Count)).OrderByDescending(p => p.Value).Take(top)];
        }
    }

    /// <summary>Gives a slot back (login or close); false when it was given back or evicted already.</summary>
    internal bool Release(PendingSlot slot)
    {
        lock (_lock)
        {
            return Remove(slot);
        }
    }

    private List<PendingSlot>? BiggestHolder()
    {
        List<PendingSlot>? biggest = null;
        foreach (var slots in _byAddress.Values)
        {
            if (biggest is null || slots.Count > biggest.Count)
            {
                biggest = slots;
            }
        }

        return biggest;
    }

    /// <summary>
    /// The slot that has waited longest, if it has waited the grace, skipping those whose login is being checked.
    /// Walks from the oldest and stops at the first younger than the grace: those after it are younger still.
    /// </summary>
    private PendingSlot? LongestWaiting(long now)
    {
        long graceMs = (long)EvictionGrace.TotalMilliseconds;
        for (var node = _byAge.First; node is not null && now - node.Value.AcceptedMs >= graceMs; node = node.Next)
        {
            if (!node.Value.LoginUnderway)
            {
                return node.Value;
            }
        }

        return null;
    }

    private bool Cooling(AddressGroup address, long now) =>
        _evictedForAge.TryGetValue(address, out long at) && now - at < (long)EvictionCooling.TotalMilliseconds;

    private void NoteEvictedForAge(AddressGroup address, long now, int limit)
    {
        // Bounded: entries past the cooling say nothing, so they go once the table is a few times the budget.
        if (_evictedForAge.Count >= Math.Max(1024, 4 * limit))
        {
            long coolingMs = (long)EvictionCooling.TotalMilliseconds;
            foreach (var (key, at) in _evictedForAge)
            {
                if (now - at >= coolingMs)
                {
                    _evictedForAge.Remove(key);
                }
            }
        }

        _evictedForAge[address] = now;
    }

    private bool Remove(PendingSlot slot)
    {
        if (!_byAddress.TryGetValue(slot.Address, out var slots) || !slots.Remove(slot))
        {
            return false;
        }

        if (slots.Count == 0)
        {
            _byAddress.Remove(slot.Address);
        }

        _byAge.Remove(slot.Node!);
        slot.Node = null;
        return true;
    }
}
