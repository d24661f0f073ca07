using System.Threading.Tasks.Sources;

namespace LanTalk.Core.Transport;

/// <summary>
/// Wakes the one writer loop of a connection. A reusable <see cref="IValueTaskSource"/>: waiting allocates
/// nothing, unlike a SemaphoreSlim wait, which matters when a broadcast wakes thousands of writers at once.
/// Only one wait may be outstanding, and <see cref="Set"/> is called at most once per wait (the queue's
/// writer-waiting flag guarantees both).
/// </summary>
internal sealed class WriterSignal : IValueTaskSource
{
    // Continuations run on the thread pool: the producer (often a broadcast loop) must never run a socket write.
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public ValueTask WaitAsync() => new(this, _core.Version);

    public void Set() => _core.SetResult(true);

    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
