namespace LanTalk.Server.Rooms;

/// <summary>
/// A member who left a room with a reason since the last presence batch: the batch tells the members who stay
/// (<see cref="IRoomSession.MemberParting"/>) just before its MemberLeft, so IRC shows the reason in the PART line.
/// </summary>
internal sealed record RoomPart(string Member, string Reason);
