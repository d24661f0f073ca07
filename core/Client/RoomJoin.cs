using LanTalk.Core.Packets;

namespace LanTalk.Core.Client;

/// <summary>The answer to a JoinRoom: the room, and the HistoryEnd that closed its replay (Remaining: what the replay left out).</summary>
public sealed record RoomJoin(RoomState Room, HistoryEndPacket Replay)
{
    /// <summary>
    /// A fresh join whose replay held nothing and left nothing older: the room was empty up to the join mark, so a
    /// later catch-up starts from its first message (<see cref="ChatClient.CatchUpRoomAsync"/> with SinceId 0).
    /// </summary>
    public static bool WasEmpty(RoomJoin join) => join.Replay.Count == 0 && join.Replay.Remaining == 0;
}
