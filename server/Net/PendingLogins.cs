using System.Net;

namespace LanTalk.Server.Net;

/// <summary>
/// The pre-login budget: how many connections may be between accept and login at once, in all (MaxPendingLogins)
/// and from one address (MaxPendingLoginsPerAddress). Both ports (ChatSocket and IRC) share it. Owns its one lock;
/// nothing else is done under it (an eviction's close runs after it is released).
/// </summary>
/// <remarks>
/// When the budget is full, a newcomer from an address that holds fewer slots than the biggest holder (by at least
/// two, so two addresses cannot evict each other back and forth) takes the oldest slot of that holder, whose connection
/// is closed with TooManyConnections. Without this, a host with a few addresses (16 × 4 idle sockets, reopened as
/// LoginTimeout cut them) kept everyone else from logging in; found by fault injection against the published server.
/// A flood from as many addresses as the budget has slots is still refused like anyone else: fairness per address is
/// all a server can give there, and the operator is told who holds the slots (<see cref="PendingBudgetAlarm"/>).
/// </remarks>
internal sealed class PendingLogins
{
    private readonly Lock _lock = new();

    // Each address's slots, oldest first. Small: at most MaxPendingLoginsPerAddress per address.
    private readonly Dictionary<IPAddress, List<PendingSlot>> _byAddress = [];
    private int _count;

    /// <summary>Slots held now, in all.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// A slot for a connection from <paramref name="address"/>, or why not. <paramref name="evicted"/> is the slot
    /// this one took the place of (its connection must be closed); its release is already done.
    /// </summary>
    public PendingRefusal TryReserve(IPAddress address, int perAddressLimit, int limit, out PendingSlot? slot, out PendingSlot? evicted)
    {
        slot = null;
        evicted = null;
        lock (_lock)
        {
            int mine = _byAddress.TryGetValue(address, out var own) ? own.Count : 0;
            if (mine >= perAddressLimit)
            {
                return PendingRefusal.PerAddress;
            }

            if (_count >= limit)
            {
                if (BiggestHolder() is not { } holder || holder.Count < mine + 2)
                {
                    return PendingRefusal.Budget;
                }

                evicted = holder[0];
                Remove(evicted);
            }

            slot = new PendingSlot(this, address);
            if (own is null)
            {
                own = new List<PendingSlot>(2);
                _byAddress[address] = own;
            }

            own.Add(slot);
            _count++;
            return PendingRefusal.None;
        }
    }

    /// <summary>The addresses holding slots and how many each, biggest first (at most <paramref name="top"/>).</summary>
    public KeyValuePair<IPAddress, int>[] Holders(int top)
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

        _count--;
        return true;
    }
}
