using LanTalk.Core.Packets;

namespace LanTalk.Core.Client;

/// <summary>A room as a v3 client knows it: the last RoomInfo and the member list (all members, online or not).</summary>
public sealed record RoomState(string Name, RoomInfoPacket Info, IReadOnlyList<OnlineUser> Members);
