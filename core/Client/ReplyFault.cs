namespace LanTalk.Core.Client;

/// <summary>Fails a pending reply without risking an unobserved-task exception when nobody waits for it any more.</summary>
internal static class ReplyFault
{
    /// <summary>
    /// A reply can outlive its caller: RequestUsersAsync's is shared, and any other may be faulted in the moment between
    /// its caller's timeout or cancellation and the removal of its registration. Faulted at the disconnect with nobody
    /// awaiting it, each became a TaskScheduler.UnobservedTaskException, which a load tool counts as its own bug (an API
    /// audit, 2026-12-06). Reading Exception marks it observed; a caller still awaiting gets it all the same.
    /// </summary>
    public static void Set<T>(TaskCompletionSource<T> reply, Exception failure)
    {
        if (reply.TrySetException(failure))
        {
            _ = reply.Task.Exception;
        }
    }
}
