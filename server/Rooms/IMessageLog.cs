using LanTalk.Server.History;

namespace LanTalk.Server.Rooms;

/// <summary>
/// The router's only view of storage (docs/design/protocol-v3.md §Seams). A message is appended BEFORE it is fanned
/// out, and acknowledged to its sender only when <see cref="AppendResult.IsStored"/>, so an acknowledged message is
/// never lost. <see cref="MessageStore"/> implements it; <see cref="CounterMessageLog"/> when history is off.
/// </summary>
public interface IMessageLog
{
    Task<AppendResult> AppendRoomAsync(string room, string sender, string text, MessageKind kind = MessageKind.Normal);

    Task<AppendResult> AppendPrivateAsync(string sender, string recipient, string text, MessageKind kind = MessageKind.Normal, bool queueForDelivery = false);
}
