using LanTalk.Core.Packets;

namespace LanTalk.Server.Rooms;

/// <summary>
/// The three points where a session meets stored history (docs/design/protocol-v3.md §Seams). The session never
/// touches the store itself. <see cref="NoRoomHistory"/> is the stand-in until the history work implements it.
/// </summary>
public interface IRoomHistory
{
    /// <summary>Whether messages are stored at all (ServerHello's History feature): false when history is off.</summary>
    bool Stores { get; }

    /// <summary>
    /// After RoomInfo and the member list of an explicit JoinRoom: queues the replay (ids at most
    /// <paramref name="joinMark"/>; from <paramref name="start"/>: the last HistoryOnJoin messages, or the ids above its SinceId)
    /// as PublicMessage ChatMessages with flag History (target = room), then JoinRoom + HistoryEnd with
    /// <paramref name="tag"/>. Live messages of the room (ids above the mark) are held back for this session until the
    /// returned task completes, so the replay always comes first.
    /// </summary>
    Task ReplayOnJoin(ISessionOutput session, string room, ReplayStart start, ulong joinMark, uint tag);

    /// <summary>
    /// The History command. <paramref name="target"/> is the room (Scope Room) or the other user (Scope Private);
    /// <paramref name="rooms"/> are the rooms the user is in (the caller has already checked a Room scope against it).
    /// Answers with ChatMessages (flag History), then History + HistoryEnd.
    /// </summary>
    Task HandleHistory(ISessionOutput session, string target, HistoryRequestPacket request, IReadOnlyCollection<string> rooms);

    /// <summary>The Search command over <paramref name="rooms"/> and the user's own private messages; ends with Search + HistoryEnd.</summary>
    Task HandleSearch(ISessionOutput session, HistoryRequestPacket request, IReadOnlyCollection<string> rooms);

    /// <summary>At login, after the room infos: queues the stored private messages (flag Offline), oldest first.</summary>
    Task DeliverOffline(ISessionOutput session);
}
