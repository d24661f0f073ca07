namespace LanTalk.Server.Rooms;

/// <summary>One member session a room message fans out to, with its user's join mark (ids at or below it are skipped).</summary>
internal readonly record struct RoomRecipient(IRoomSession Session, ulong JoinMark);
