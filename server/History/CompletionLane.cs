using System.Diagnostics;

namespace LanTalk.Server.History;

/// <summary>
/// Runs the completions of committed groups (the fan-out of their messages). A cheap group completes inline on the
/// writer thread: no thread hop, which is what a quiet server's lone messages need. Once a group's completions took
/// longer than <see cref="InlineBudgetTicks"/> (messages to hundreds of sessions), each completion of the following
/// groups becomes its own thread-pool work item, so fan-outs run on both cores while the writer commits the next
/// group. Order across senders is not promised (docs/PROTOCOL.md: messages from different senders may arrive
/// slightly out of id order); each sender's own order is kept by its session's SendSequence.
/// </summary>
internal sealed class CompletionLane
{
    /// <summary>Half a millisecond: about a hundred sends.</summary>
    public static readonly long InlineBudgetTicks = Stopwatch.Frequency / 2000;

    private long _lastCostTicks;

    /// <summary>Called by the writer thread after the commit of <paramref name="group"/>.</summary>
    public void Complete(List<WriteOp> group)
    {
        if (Volatile.Read(ref _lastCostTicks) <= InlineBudgetTicks)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (var op in group)
            {
                op.Complete();
            }

            Volatile.Write(ref _lastCostTicks, Stopwatch.GetTimestamp() - start);
            return;
        }

        foreach (var op in group)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Lane.RunAlone(state.Op), (Lane: this, Op: op), preferLocal: false);
        }
    }

    // A pool completion reports its own cost: one cheap message sends the writer back to completing inline.
    private void RunAlone(WriteOp op)
    {
        long start = Stopwatch.GetTimestamp();
        op.Complete();
        Volatile.Write(ref _lastCostTicks, Stopwatch.GetTimestamp() - start);
    }
}
