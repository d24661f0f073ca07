using LanTalk.Core.Packets;

namespace LanTalk.Server.Rooms;

/// <summary>What a session asks of the room registry: joining, leaving and the other room and user commands.</summary>
internal interface IRoomRegistry
{
    (Room Room, ulong JoinMark)? Join(IRoomSession session, string name, RoomRequestPacket request);

    /// <param name="reason">Why (an IRC PART reason, or a v3 LeaveRoom's Text); empty for none.</param>
    void LeaveRoom(IRoomSession session, string name, uint tag, string reason = "");

    void ListRooms(IRoomSession session);

    void SetTopic(IRoomSession session, string name, string topic, uint tag);

    void Invite(IRoomSession session, string name, string invitee, string note, uint tag);

    void Kick(IRoomSession session, string name, string victim, string reason, uint tag);

    void DeleteRoom(IRoomSession session, string name, uint tag);

    void SetRoomMode(IRoomSession session, string name, RoomModes modes, uint tag);

    void SetAway(IRoomSession session, string text, uint tag);

    void WhoIs(IRoomSession session, string name, uint tag);

    void SendUserList(IRoomSession session);

    IReadOnlyCollection<string> RoomNamesOf(string user);

    /// <summary>The rooms a logged-in session takes live messages of, once its login has finished (see RoomRegistry).</summary>
    int LiveRoomCount(IRoomSession session, string user);

    /// <summary>Whether a room of that name (any case) exists, for the NoSuchRoom / NotInRoom choice.</summary>
    bool RoomExists(string name);

    /// <summary>Runs <paramref name="done"/> once the presence changes made before the call have been sent (.Presence).</summary>
    void AfterPresence(Action done);
}
