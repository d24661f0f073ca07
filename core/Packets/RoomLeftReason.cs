namespace LanTalk.Core.Packets;

/// <summary>Why a user is no longer in a room (RoomLeft.Reason, uint8 on the wire).</summary>
public enum RoomLeftReason : byte
{
    Left = 0,
    Kicked = 1,
    Deleted = 2,
}
