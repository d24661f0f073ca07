using System.Diagnostics;

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
    /// <summary>Half a millisecond: about a hundred sends.</summary>
    public static readonly long InlineBudgetTicks = Stopwatch.Frequency / 2000;

    // The last measured cost of one completion, in Stopwatch ticks; written by whichever thread measured it.
    private long _costPerOpTicks;

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
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Lane.Run(state.Ops, 0, state.Ops.Count), (Lane: this, Ops: ops), preferLocal: false);
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
