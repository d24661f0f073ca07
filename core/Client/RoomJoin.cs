using LanTalk.Core.Packets;

namespace LanTalk.Core.Client;

/// <summary>The answer to a JoinRoom: the room, and the HistoryEnd that closed its replay (Remaining: what the replay left out).</summary>
public sealed record RoomJoin(RoomState Room, HistoryEndPacket Replay);
