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

    /// <summary>The bits a client may set when creating a room or with SetRoomMode.</summary>
    Settable = InviteOnly | TopicByAnyone,
}
