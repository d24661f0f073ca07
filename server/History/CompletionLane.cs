using System.Diagnostics;

namespace LanTalk.Server.History;

/// <summary>
/// Runs the completions of committed groups (the fan-out of their messages) in commit order. A cheap group
/// completes inline on the writer thread: no thread hop, which is what a quiet server's lone messages need. Once a
/// group's completions took longer than <see cref="InlineBudgetTicks"/> (a message to hundreds of sessions), the
/// following groups go to one thread-pool worker instead, so the writer commits the next group while that one
/// fans out, on the other core. Only the writer thread calls <see cref="Complete"/>; <see cref="_lock"/> is the
/// lane's own and is never held while completing.
/// </summary>
internal sealed class CompletionLane
{
    /// <summary>Half a millisecond: about a hundred sends.</summary>
    public static readonly long InlineBudgetTicks = Stopwatch.Frequency / 2000;

    private readonly Lock _lock = new();
    private readonly Queue<WriteOp[]> _queue = new();
    private bool _draining;
    private long _lastCostTicks;

    /// <summary>Called by the writer thread after the commit of <paramref name="group"/>.</summary>
    public void Complete(List<WriteOp> group)
    {
        bool inline = false;
        lock (_lock)
        {
            if (!_draining && Volatile.Read(ref _lastCostTicks) <= InlineBudgetTicks)
            {
                // Nothing is queued (a queue always has a drainer), so running it here keeps the order.
                inline = true;
            }
            else
            {
                _queue.Enqueue([.. group]);
                if (_draining)
                {
                    return;
                }

                _draining = true;
            }
        }

        if (inline)
        {
            Run(group);
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static lane => lane.Drain(), this, preferLocal: false);
    }

    private void Drain()
    {
        while (true)
        {
            WriteOp[] next;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _draining = false;
                    return;
                }

                next = _queue.Dequeue();
            }

            Run(next);
        }
    }

    private void Run(IReadOnlyList<WriteOp> ops)
    {
        long start = Stopwatch.GetTimestamp();
        foreach (var op in ops)
        {
            op.Complete();
        }

        Volatile.Write(ref _lastCostTicks, Stopwatch.GetTimestamp() - start);
    }
}
