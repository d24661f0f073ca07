namespace LanTalk.Server.History;

/// <summary>Any other write (delivery marks, retention deletes): a function run in the transaction, its value given after the commit.</summary>
internal sealed class FuncOp<T>(Func<HistoryWriter, T> work) : WriteOp
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _done.Task;

    public override void Execute(HistoryWriter writer) => _result = work(writer);

    public override void Complete() => _done.TrySetResult(_result!);

    public override void Fail(AppendStatus status, Exception? error) => _done.TrySetException(status == AppendStatus.Closed
        ? new ObjectDisposedException(nameof(MessageStore), "the history store is closed")
        : new HistoryUnavailableException("history.db cannot commit now (disk full, read-only or an I/O error)", error));
}
