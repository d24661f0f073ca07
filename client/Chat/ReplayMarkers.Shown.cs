namespace LanTalk.Client.Chat;

/// <summary>
/// Waiting until a room's replay is shown: paging back reads the oldest id the replay showed, and asked before it was
/// shown it paged from the newest message, printing messages twice (an outside client audit, 2026-12-06).
/// </summary>
internal sealed partial class ReplayMarkers
{
    // Rooms whose replay ended (Ended) and whose closing lines are being printed, until Shown. Guarded by _lock.
    private readonly HashSet<string> _closing = new(StringComparer.OrdinalIgnoreCase);

    // Completed, and replaced, each time a replay ends or is given up: waiters then look again. Guarded by _lock.
    private TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once no replay of <paramref name="room"/> is awaited or under way: a join's history has ended, a
    /// catch-up has shown its missed messages and the live ones held meanwhile, or the join failed. At once when none is.
    /// </summary>
    public async Task WhenShownAsync(string room)
    {
        while (true)
        {
            Task settled;
            lock (_lock)
            {
                if (!_expected.ContainsKey(room) && !_open.Contains(room) && !_catchUps.ContainsKey(room) && !_closing.Contains(room))
                {
                    return;
                }

                settled = _settled.Task;
            }

            await settled.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What followed the end of <paramref name="room"/>'s replay (its "— now —", the live messages held meanwhile) is
    /// printed: a command waiting for the replay may print now, below it.
    /// </summary>
    public void Shown(string room)
    {
        lock (_lock)
        {
            if (_closing.Remove(room))
            {
                Settle();
            }
        }
    }

    // A replay ended or was given up. Under _lock.
    private void Settle()
    {
        var settled = _settled;
        _settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        settled.TrySetResult();
    }
}
