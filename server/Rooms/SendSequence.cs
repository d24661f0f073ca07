using LanTalk.Server.History;
using NLog;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Fans out one session's messages in the order the session sent them, although their appends to the message log
/// may complete out of order (continuations run on the pool). When nothing is pending and the append completed at
/// once (history off), the fan-out runs inline on the read loop, as cheap as before there was a log.
/// </summary>
internal sealed class SendSequence
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Rooms");

    // Only the session's read loop calls Then, so the tail needs no lock.
    private Task _tail = Task.CompletedTask;

    /// <summary>Runs <paramref name="deliver"/> with the append's result after every earlier message of this session was delivered.</summary>
    public void Then(Task<AppendResult> append, Action<AppendResult> deliver)
    {
        if (_tail.IsCompleted && append.IsCompletedSuccessfully)
        {
            deliver(append.Result);
            return;
        }

        _tail = ChainAsync(_tail, append, deliver);
    }

    /// <summary>Completes when every message handed in so far was delivered (tests, shutdown).</summary>
    public Task Drained => _tail;

    private static async Task ChainAsync(Task previous, Task<AppendResult> append, Action<AppendResult> deliver)
    {
        await previous.ConfigureAwait(false);
        AppendResult result;
        try
        {
            result = await append.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The store reports failures as statuses; anything thrown is unexpected, but still must not be acknowledged.
            s_log.Error(ex, "A message append failed");
            result = AppendResult.Failed(AppendStatus.StorageUnavailable);
        }

        try
        {
            deliver(result);
        }
        catch (Exception ex)
        {
            s_log.Error(ex, "Delivering a message failed");
        }
    }
}
