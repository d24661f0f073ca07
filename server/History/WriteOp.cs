namespace LanTalk.Server.History;

/// <summary>
/// One unit of work for the <see cref="HistoryWriter"/> thread. <see cref="Execute"/> runs inside the group's
/// transaction; exactly one of <see cref="Complete"/> (after the commit) or <see cref="Fail"/> follows.
/// </summary>
internal abstract class WriteOp
{
    public abstract void Execute(HistoryWriter writer);

    public abstract void Complete();

    public abstract void Fail(AppendStatus status, Exception? error);
}
