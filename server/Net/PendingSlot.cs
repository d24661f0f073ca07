namespace LanTalk.Server.Net;

/// <summary>
/// One place in the pre-login budget (<see cref="PendingLogins"/>), held from accept until login or close, or until
/// a newcomer takes it (eviction: its address holds more than its share, or it has waited longest). Given back exactly once, whichever comes first,
/// so the counts cannot drift when a login, a close and an eviction race.
/// </summary>
internal sealed class PendingSlot(PendingLogins budget, AddressGroup address, long acceptedMs)
{
    private readonly Lock _lock = new();
    private Action? _close;
    private bool _evicted;
    private bool _loginUnderway;

    public AddressGroup Address { get; } = address;

    /// <summary>When the server took the connection in (the budget's clock, ms).</summary>
    public long AcceptedMs { get; } = acceptedMs;

    /// <summary>
    /// True while the connection's login or registration is being checked: the budget does not take it for having
    /// waited longest (<see cref="PendingLogins.EvictionGrace"/>). Read under the budget's lock, set outside it.
    /// </summary>
    public bool LoginUnderway
    {
        get => Volatile.Read(ref _loginUnderway);
        set => Volatile.Write(ref _loginUnderway, value);
    }

    /// <summary>
    /// Set when the budget took it for having waited longest rather than for its address's excess; set before
    /// <see cref="Evict"/>, whose lock publishes it to the close.
    /// </summary>
    public bool EvictedForAge { get; internal set; }

    /// <summary>Its place in the budget's age order; the budget's lock guards it.</summary>
    internal LinkedListNode<PendingSlot>? Node { get; set; }

    public void Release() => budget.Release(this);

    /// <summary>
    /// How to close this slot's connection if it is evicted: at once when it was evicted already, else when it is.
    /// A later call replaces an earlier one: the TLS handshake's cancel gives way to the session's close.
    /// </summary>
    public void OnEvicted(Action close)
    {
        lock (_lock)
        {
            if (!_evicted)
            {
                _close = close;
                return;
            }
        }

        close();
    }

    /// <summary>Called once, after the budget gave this slot to a newcomer (outside the budget's lock).</summary>
    public void Evict()
    {
        Action? close;
        lock (_lock)
        {
            _evicted = true;
            close = _close;
        }

        close?.Invoke();
    }
}
