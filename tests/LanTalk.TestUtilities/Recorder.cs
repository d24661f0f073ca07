namespace LanTalk.TestUtilities;

/// <summary>A thread-safe list of events (messages, presence) that a test can wait on without polling.</summary>
public sealed class Recorder<T>
{
    private readonly Lock _lock = new();
    private readonly List<T> _items = new();
    private readonly List<(Func<IReadOnlyList<T>, bool> Condition, TaskCompletionSource Done)> _waiters = new();

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_lock)
            {
                return _items.ToArray();
            }
        }
    }

    public void Add(T item)
    {
        List<TaskCompletionSource> ready = new();
        lock (_lock)
        {
            _items.Add(item);
            _waiters.RemoveAll(w =>
            {
                bool met = w.Condition(_items);
                if (met)
                {
                    ready.Add(w.Done);
                }

                return met;
            });
        }

        ready.ForEach(done => done.TrySetResult());
    }

    /// <summary>Completes when the recorded items satisfy <paramref name="condition"/> (checked now and on every add).</summary>
    public Task<IReadOnlyList<T>> WaitUntilAsync(Func<IReadOnlyList<T>, bool> condition, string what, TimeSpan? timeout = null) =>
        WaitCoreAsync(condition, condition, what, timeout);

    public async Task<T> WaitForAsync(Func<T, bool> match, string what, TimeSpan? timeout = null)
    {
        // After the first scan only the newest item needs checking, so waiting during a flood stays linear.
        var items = await WaitCoreAsync(list => list.Any(match), list => match(list[^1]), what, timeout);
        return items.First(match);
    }

    private async Task<IReadOnlyList<T>> WaitCoreAsync(
        Func<IReadOnlyList<T>, bool> initial, Func<IReadOnlyList<T>, bool> onAdd, string what, TimeSpan? timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (initial(_items))
            {
                return _items.ToArray();
            }

            _waiters.Add((onAdd, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout ?? Wait.Timeout);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }

            throw new AssertionException($"timed out after {(timeout ?? Wait.Timeout).TotalSeconds} s waiting for {what}; recorded {Items.Count}: {string.Join(", ", Items.Take(20))}");
        }

        return Items;
    }

    public Task<IReadOnlyList<T>> WaitForCountAsync(int count, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(list => list.Count >= count, what, timeout);
}
