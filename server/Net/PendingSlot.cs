using System.Net;

namespace LanTalk.Server.Net;

/// <summary>
/// One place in the pre-login budget (<see cref="PendingLogins"/>), held from accept until login or close, or until
/// a newcomer from an address with fewer places takes it (eviction). Given back exactly once, whichever comes first,
/// so the counts cannot drift when a login, a close and an eviction race.
/// </summary>
internal sealed class PendingSlot(PendingLogins budget, IPAddress address)
{
    private readonly Lock _lock = new();
    private Action? _close;
    private bool _evicted;

    public IPAddress Address { get; } = address;

    public void Release() => budget.Release(this);

    /// <summary>
    /// How to close this slot's connection if it is evicted: at once when it was evicted already (while its TLS
    /// handshake ran, before the session existed), else when it is.
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
