using LanTalk.Core.Packets;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Where a join's replay starts (docs/PROTOCOL.md "Replay on join"): the room's recent history, or a catch-up of
/// every message after <see cref="SinceId"/>. A catch-up from 0 is a session that saw the room empty at its last join.
/// </summary>
public readonly record struct ReplayStart(ulong SinceId, bool CatchUp)
{
    /// <summary>The last HistoryOnJoin messages: a fresh join, and every IRC JOIN.</summary>
    public static ReplayStart Recent => default;

    /// <summary>A JoinRoom's start: SinceId above 0 is a catch-up by itself (v3 before the CatchUp bit), 0 only with the bit.</summary>
    public static ReplayStart Of(RoomRequestPacket request) =>
        new(request.SinceId, request.SinceId > 0 || (request.Flags & RoomModes.CatchUp) != 0);
}
