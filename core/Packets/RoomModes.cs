namespace LanTalk.Core.Packets;

/// <summary>A room's mode and the receiver's relation to it (RoomRequest on create / SetRoomMode, RoomInfo, RoomList).</summary>
[Flags]
public enum RoomModes : uint
{
    None = 0,

    /// <summary>Only invited users may join.</summary>
    InviteOnly = 1,

    /// <summary>Every member may set the topic, not only owners.</summary>
    TopicByAnyone = 2,

    /// <summary>Server to client only: the receiving user owns the room.</summary>
    YouOwn = 4,

    /// <summary>Server to client only: the server's default room.</summary>
    Default = 8,

    /// <summary>
    /// Client to server, JoinRoom only: the join catches up from SinceId even when it is 0 (every message of the room up
    /// to the join mark, oldest first, at most MaxReplay). For a session that saw the room empty at its last join and
    /// so holds no id of it: without the bit, SinceId 0 asks for the recent history instead.
    /// </summary>
    CatchUp = 16,

    /// <summary>
    /// Client to server, JoinRoom only, where ServerHello announces <see cref="ServerFeatures.Resync"/>: a resync of a
    /// room the user is in, never a join. When the user is not a member (any more) it is refused (NotInRoom, or NoSuchRoom
    /// for a room that is gone) and changes nothing. A client's automatic resync of a room joined on another device,
    /// arriving after the user left it on a third, joined the user again and undid the leave (CI, 2026-12-07).
    /// </summary>
    Resync = 32,

    /// <summary>The bits a client may set when creating a room or with SetRoomMode.</summary>
    Settable = InviteOnly | TopicByAnyone,
}
