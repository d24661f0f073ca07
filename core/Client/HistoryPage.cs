using LanTalk.Core.Packets;

namespace LanTalk.Core.Client;

/// <summary>The answer to a History or Search request: the messages, oldest first, and the server's HistoryEnd.</summary>
public sealed record HistoryPage(IReadOnlyList<ChatMessage> Messages, HistoryEndPacket End);
