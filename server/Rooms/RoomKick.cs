namespace LanTalk.Server.Rooms;

/// <summary>
/// A member removed from a room by an owner since the last presence batch: the batch tells the members who stay
/// (<see cref="IRoomSession.MemberKicked"/>) just before its MemberLeft, so IRC shows KICK instead of PART.
/// </summary>
internal sealed record RoomKick(string Member, string By, string Reason);
