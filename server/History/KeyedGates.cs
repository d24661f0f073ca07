namespace LanTalk.Server.History;

/// <summary>
/// One asynchronous gate (a mutex) per key, kept only while someone holds it or waits for it. The offline delivery
/// took a SemaphoreSlim per user name from a dictionary that never forgot one, so every name that ever logged in
/// (guests' nicks, removed accounts) stayed in memory for the server's life.
/// </summary>
internal sealed class KeyedGates
{
    // Guarded by itself; a gate's Holders counts the one inside and those waiting.
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Gates held or waited for now.</summary>
    public int Count
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>Completes once the caller holds <paramref name="key"/>'s gate; it must call <see cref="Exit"/> after.</summary>
    public Task EnterAsync(string key)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(key, out gate!))
            {
                gate = new Gate();
                _gates.Add(key, gate);
            }

            gate.Holders++;
        }

        return gate.WaitAsync();
    }

    /// <summary>Leaves <paramref name="key"/>'s gate, entered with <see cref="EnterAsync"/>; the next waiter, if any, gets it.</summary>
    public void Exit(string key)
    {
        lock (_gates)
        {
            var gate = _gates[key];
            // SemaphoreSlim completes an async waiter's task asynchronously, so no waiter runs under this lock.
            gate.Release();
            if (--gate.Holders == 0)
            {
                // No one inside or waiting: a later EnterAsync makes a new gate. Never disposed: SemaphoreSlim holds
                // nothing to free unless its AvailableWaitHandle was asked for, which nobody here does.
                _gates.Remove(key);
            }
        }
    }

    private sealed class Gate() : SemaphoreSlim(1, 1)
    {
        public int Holders;
    }
}
