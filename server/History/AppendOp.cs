namespace LanTalk.Server.History;

/// <summary>Stores one message (and, for an offline recipient, its queue entry). Its task completes after the commit.</summary>
internal sealed class AppendOp(string? room, string sender, string? recipient, string text, MessageKind kind, bool queueOffline) : WriteOp
{
    // Continuations run on the thread pool, never on the writer thread, which must go back to committing.
    private readonly TaskCompletionSource<AppendResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AppendResult _result;

    public Task<AppendResult> Task => _done.Task;

    public override void Execute(HistoryWriter writer)
    {
        if (queueOffline && !writer.HasOfflineRoom(recipient!))
        {
            _result = AppendResult.Failed(AppendStatus.TooManyStored);
            return;
        }

        var (id, time) = writer.InsertMessage(room, sender, recipient, text, kind);
        if (queueOffline)
        {
            writer.InsertOffline(id, recipient!, sender, time);
        }

        _result = new AppendResult(queueOffline ? AppendStatus.StoredForDelivery : AppendStatus.Stored, id, time);
    }

    public override void Complete() => _done.TrySetResult(_result);

    public override void Fail(AppendStatus status, Exception? error) => _done.TrySetResult(AppendResult.Failed(status));
}
