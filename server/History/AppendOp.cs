using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// Stores one message (and, for an offline recipient, its queue entry). <c>committed</c> runs on the writer thread
/// right after the commit (or at once on a refusal): see <see cref="Rooms.IMessageLog"/> for why and what it may do.
/// </summary>
internal sealed class AppendOp(string? room, string sender, string? recipient, string text, MessageKind kind, bool queueOffline, Action<AppendResult> committed) : WriteOp
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

    private AppendResult _result;

    public override void Execute(HistoryWriter writer)
    {
        if (queueOffline && writer.OfflineRefusal(recipient!, sender) is { } refusal)
        {
            _result = AppendResult.Failed(refusal);
            return;
        }

        var (id, time) = writer.InsertMessage(room, sender, recipient, text, kind);
        if (queueOffline)
        {
            writer.InsertOffline(id, recipient!, sender, time);
        }

        _result = new AppendResult(queueOffline ? AppendStatus.StoredForDelivery : AppendStatus.Stored, id, time);
    }

    public override void Complete() => Report(_result);

    public override void Fail(AppendStatus status, Exception? error) => Report(AppendResult.Failed(status));

    private void Report(AppendResult result)
    {
        try
        {
            committed(result);
        }
        catch (Exception ex)
        {
            // The writer thread must go on committing for everyone else whatever one delivery does.
            s_log.Error(ex, "Delivering a stored message failed");
        }
    }
}
