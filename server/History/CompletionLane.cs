using System.Diagnostics;
using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// Runs the completions of committed groups (the fan-out of their messages). A group expected to be cheap completes
/// inline on the writer thread: no thread hop, which is what a quiet server's lone messages need. A group expected to
/// cost more than <see cref="InlineBudgetTicks"/> goes to the thread pool in chunks of about that cost, so fan-outs
/// run on both cores while the writer commits the next group, and a thousand cheap completions (private messages)
/// are a few dozen work items rather than a thousand. The expectation is the measured cost per completion times the
/// group's size: judging by the last group's total instead sent every other big group inline (one cheap pool
/// completion looked like a cheap group), and the writer then spent a third of its time sending.
/// Order across senders is not promised (docs/PROTOCOL.md: messages from different senders may arrive slightly out
/// of id order); each sender's own order is kept by its session's SendSequence.
/// </summary>
internal sealed class CompletionLane
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

    /// <summary>Half a millisecond: about a hundred sends.</summary>
    public static readonly long InlineBudgetTicks = Stopwatch.Frequency / 2000;

    // The last measured cost of one completion, in Stopwatch ticks; written by whichever thread measured it.
    private long _costPerOpTicks;

    // Chunks given to the pool and not finished yet (by number), and what waits for them (AfterDispatched). Owned by
    // _chunksLock, taken once per chunk (half a millisecond of work each), never per message.
    private readonly Lock _chunksLock = new();
    private readonly SortedSet<long> _running = [];
    private readonly List<(long Below, Action Done)> _waiters = [];
    private long _nextChunk;

    /// <summary>Called by the writer thread after the commit of <paramref name="group"/>.</summary>
    public void Complete(List<WriteOp> group)
    {
        long perOp = Math.Max(1, Volatile.Read(ref _costPerOpTicks));
        if (perOp * group.Count <= InlineBudgetTicks)
        {
            Run(group, 0, group.Count);
            return;
        }

        // The writer reuses its list for the next group, so each chunk gets its own.
        int chunk = (int)Math.Clamp(InlineBudgetTicks / perOp, 1, group.Count);
        for (int start = 0; start < group.Count; start += chunk)
        {
            var ops = group.GetRange(start, Math.Min(chunk, group.Count - start));
            long number;
            lock (_chunksLock)
            {
                number = _nextChunk++;
                _running.Add(number);
            }

            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Lane.RunChunk(state.Ops, state.Number), (Lane: this, Ops: ops, Number: number), preferLocal: false);
        }
    }

    /// <summary>
    /// Runs <paramref name="done"/> once every completion given to this lane so far has run: at once when none is
    /// left on the pool, otherwise on the thread that finishes the last of them. For a barrier (an IRC PING's PONG
    /// waits for the fan-out of every message accepted before it, IrcSession.PongOrder); must not block.
    /// </summary>
    public void AfterDispatched(Action done)
    {
        lock (_chunksLock)
        {
            if (_running.Count > 0)
            {
                _waiters.Add((_nextChunk, done));
                return;
            }
        }

        RunBarrier(done);
    }

    private void RunChunk(List<WriteOp> ops, long number)
    {
        Run(ops, 0, ops.Count);
        List<Action>? due = null;
        lock (_chunksLock)
        {
            _running.Remove(number);
            long oldest = _running.Count > 0 ? _running.Min : long.MaxValue;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                // A waiter waits for the chunks numbered below the count at its arrival.
                if (_waiters[i].Below <= oldest)
                {
                    (due ??= []).Insert(0, _waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (due is not null)
        {
            foreach (var done in due)
            {
                RunBarrier(done);
            }
        }
    }

    private static void RunBarrier(Action done)
    {
        try
        {
            done();
        }
        catch (Exception ex)
        {
            // A barrier runs on the writer thread or a completion's pool thread: neither may die of one.
            s_log.Error(ex, "A history barrier's action failed");
        }
    }

    private void Run(List<WriteOp> ops, int start, int count)
    {
        long began = Stopwatch.GetTimestamp();
        for (int i = start; i < start + count; i++)
        {
            ops[i].Complete();
        }

        if (count > 0)
        {
            Volatile.Write(ref _costPerOpTicks, (Stopwatch.GetTimestamp() - began) / count);
        }
    }
}
