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
    /// Answers with ChatMessages (flag History), then History + HistoryEnd. <paramref name="fromFirst"/> pages forwards
    /// from the first message when AfterId is 0 (which on the wire means "none", the newest below BeforeId).
    /// </summary>
    Task HandleHistory(ISessionOutput session, string target, HistoryRequestPacket request, IReadOnlyCollection<string> rooms, bool fromFirst = false);

    /// <summary>The Search command over <paramref name="rooms"/> and the user's own private messages; ends with Search + HistoryEnd.</summary>
    Task HandleSearch(ISessionOutput session, HistoryRequestPacket request, IReadOnlyCollection<string> rooms);

    /// <summary>At login, after the room infos: queues the stored private messages (flag Offline), oldest first.</summary>
    Task DeliverOffline(ISessionOutput session);

    /// <summary>
    /// The first message id stored at or after <paramref name="timeMs"/> (one past the newest when none is): a time as
    /// an id bound, for IRC's <c>timestamp=</c> references. Throws when the store cannot be read.
    /// </summary>
    ulong FirstIdAt(long timeMs);

    /// <summary>
    /// IRC's <c>CHATHISTORY TARGETS</c>: the rooms of <paramref name="rooms"/> and (<paramref name="includePrivate"/>)
    /// the private conversations of <paramref name="user"/> whose newest message lies strictly between <paramref name="afterMs"/> and
    /// <paramref name="beforeMs"/>, oldest newest-message first, at most <paramref name="limit"/>. Throws when the store
    /// cannot be read.
    /// </summary>
    IReadOnlyList<HistoryTarget> Targets(string user, IReadOnlyCollection<string> rooms, bool includePrivate, long afterMs, long beforeMs, int limit);
}
