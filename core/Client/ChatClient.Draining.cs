using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>
/// Requests whose answer is matched by order rather than by its tag: a History or Search page and a join's replay
/// (messages with Tag 0, then the tagged HistoryEnd), ListRooms (RoomList has no tag) and SetAway (nor has Away). Such a
/// request stays in flight until the server's answer to it has arrived, also when its caller gave up (a timeout, a
/// cancelled token): the answer still comes, and taken by whichever request of the same kind was sent next, it filled
/// that one's page with the abandoned page's messages (a retry after a timeout returned 210 messages for a limit of 10)
/// or completed it with another call's answer (an API audit, 2026-12-06). The next request of the kind waits for it.
/// </summary>
public sealed partial class ChatClient
{
    // Per answer command that carries no tag (ListRooms, SetAway): the request it answers and that request's tag, one at
    // a time (PROTOCOL.md: keep at most one ListRooms in flight; the first Away naming the user answers the SetAway).
    // Guarded by _pendingLock.
    private readonly Dictionary<ChatCommand, (uint Tag, PendingRequest Request)> _untagged = new();

    /// <summary>Completes (never faults) once the request is answered, refused or failed with the connection.</summary>
    private static Task Settled(PendingRequest request, Action? then = null) =>
        request.Completion.Task.ContinueWith(
            t =>
            {
                // Read, so a failure nobody awaits any more is not reported as an unobserved task exception.
                _ = t.Exception;
                then?.Invoke();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Waits, as long as a request may wait for the server, for an earlier request's answer to have arrived.</summary>
    private async Task WaitForEarlierAsync(Task earlier, string what, CancellationToken cancellationToken)
    {
        try
        {
            await earlier.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ChatClientException(ChatFailure.TimedOut, $"the server has not answered {what} within {_options.RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Under the pending lock: the request of this untagged kind still waiting for its answer, if any.</summary>
    private PendingRequest? UntaggedInFlight(ChatCommand answer) =>
        _untagged.TryGetValue(answer, out var current) && !current.Request.Completion.Task.IsCompleted ? current.Request : null;

    /// <summary>Completes the request in flight for this answer that carries no tag, if any. Under the pending lock.</summary>
    private void AnswerUntagged(ChatCommand answer, IPacket packet)
    {
        if (_untagged.Remove(answer, out var current) && current.Request.Answer == packet.Type)
        {
            _pendingRequests.Remove(current.Tag);
            current.Request.Completion.TrySetResult(packet);
        }
    }
}
