using LanTalk.Server.History;

namespace LanTalk.Server.Rooms;

/// <summary>
/// The router's only view of storage (docs/design/protocol-v3.md §Seams). A message is appended BEFORE it is fanned
/// out, and acknowledged to its sender only when <see cref="AppendResult.IsStored"/>, so an acknowledged message is
/// never lost. <see cref="MessageStore"/> implements it; <see cref="CounterMessageLog"/> when history is off.
/// </summary>
/// <remarks>
/// <c>committed</c> runs exactly once: inline when the append is decided at once (history off, a refusal), otherwise
/// right after the commit: on the store's writer thread while fan-outs are cheap (no thread hop per message), or as
/// thread-pool work items once they are not (see CompletionLane), so two appends may complete in either order (the
/// router's SendSequence restores each sender's). Either way <c>committed</c> must never block and never wait for
/// the store.
/// </remarks>
public interface IMessageLog
{
    void AppendRoom(string room, string sender, string text, MessageKind kind, Action<AppendResult> committed);

    void AppendPrivate(string sender, string recipient, string text, MessageKind kind, bool queueForDelivery, Action<AppendResult> committed);

    /// <summary>
    /// Puts an already stored private message in its recipient's offline queue: the recipient's last session closed
    /// between the online check and the commit. <paramref name="queued"/> gets StoredForDelivery (with the message's
    /// id and time) or a failure, under the same rules as <c>committed</c>.
    /// </summary>
    void QueueForDelivery(AppendResult stored, string sender, string recipient, Action<AppendResult> queued);

    /// <summary>
    /// Runs <paramref name="done"/> once every append made before this call has run its <c>committed</c> (so every
    /// message accepted before it has been fanned out or refused); inline when none is pending. It must not block.
    /// </summary>
    void AfterPending(Action done);
}
