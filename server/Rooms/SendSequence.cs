using LanTalk.Server.History;
using NLog;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Fans out one session's messages in the order the session sent them, whichever thread reports each append
/// (the read loop for an append decided at once, the store's writer thread after a commit). A message whose append
/// is done waits only for the earlier messages of the same session; the thread that completes the oldest one
/// delivers every finished message behind it. Deliveries never run under <see cref="_lock"/>. A delivery that has to
/// wait for something (a read of the store) returns a task, and the messages behind it wait for that task.
/// </summary>
internal sealed class SendSequence
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Rooms");

    // Guards _queue, _draining and every Pending's fields; owned by this sequence alone.
    private readonly Lock _lock = new();
    private readonly Queue<Pending> _queue = new();
    private bool _draining;

    /// <summary>
    /// Starts <paramref name="append"/> (the read loop calls this, one message at a time) and runs
    /// <paramref name="deliver"/> with its result after every earlier message of this session was delivered.
    /// </summary>
    public void Then(Action<Action<AppendResult>> append, Action<AppendResult> deliver) =>
        Then(append, result =>
        {
            deliver(result);
            return null;
        });

    /// <summary>Runs <paramref name="action"/> once every earlier message of this session was delivered (a reply that must follow their echoes).</summary>
    public void AfterEarlier(Action action) => Then(done => done(default), (AppendResult _) => action());

    /// <summary>
    /// Completes once every message this session sent so far was delivered: at once when none is waiting for its
    /// commit. For a read loop that takes the session's next command only then, so what that command changes (a
    /// topic, a part, a quit) reaches the members after the messages sent before it, as the client sent them.
    /// </summary>
    public Task WhenEarlierDelivered()
    {
        lock (_lock)
        {
            if (_queue.Count == 0)
            {
                return Task.CompletedTask;
            }
        }

        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        AfterEarlier(() => delivered.TrySetResult());
        return delivered.Task;
    }

    /// <summary>
    /// As <see cref="Then(Action{Action{AppendResult}}, Action{AppendResult})"/>, for a delivery that may not be done
    /// when it returns: the next message of this session is delivered only once the task it returns (if any) ends.
    /// </summary>
    public void Then(Action<Action<AppendResult>> append, Func<AppendResult, Task?> deliver)
    {
        var pending = new Pending(deliver);
        lock (_lock)
        {
            _queue.Enqueue(pending);
        }

        append(result => Complete(pending, result));
    }

    private void Complete(Pending pending, AppendResult result)
    {
        lock (_lock)
        {
            pending.Result = result;
            pending.Ready = true;
            if (_draining)
            {
                // Another thread is delivering this session's messages; it picks this one up in order.
                return;
            }

            _draining = true;
        }

        Drain();
    }

    // Runs with _draining set by this thread; clears it when nothing delivered is left, or hands it to a continuation.
    private void Drain()
    {
        while (true)
        {
            Pending next;
            lock (_lock)
            {
                if (_queue.Count == 0 || !_queue.Peek().Ready)
                {
                    _draining = false;
                    return;
                }

                next = _queue.Dequeue();
            }

            Task? unfinished = null;
            try
            {
                unfinished = next.Deliver(next.Result) is { IsCompleted: false } task ? task : null;
            }
            catch (Exception ex)
            {
                s_log.Error(ex, "Delivering a message failed");
            }

            if (unfinished is not null)
            {
                // Still draining: whoever completes a later message only marks it ready, and the continuation goes on.
                unfinished.ContinueWith(static (_, state) => ((SendSequence)state!).Drain(), this, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return;
            }
        }
    }

    private sealed class Pending(Func<AppendResult, Task?> deliver)
    {
        public Func<AppendResult, Task?> Deliver { get; } = deliver;

        public AppendResult Result { get; set; }

        public bool Ready { get; set; }
    }
}
