namespace LanTalk.Core.Packets;

/// <summary>
/// Why a member left a room, for one entry of a MemberLeft list (appended after the UserList's Flags byte, so receivers
/// that predate it ignore it): <see cref="RoomLeftReason.Kicked"/> with the owner who did it, or
/// <see cref="RoomLeftReason.Left"/>; <see cref="Text"/> is the part's or the kick's reason, empty for none.
/// </summary>
public readonly record struct MemberDeparture(RoomLeftReason Reason, string By, string Text);
