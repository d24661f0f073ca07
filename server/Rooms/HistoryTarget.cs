namespace LanTalk.Server.Rooms;

/// <summary>
/// A conversation with stored history and the time of its newest message: a room (<paramref name="IsRoom"/>, its own
/// spelling) or the other user of a private conversation (as their messages spell them).
/// </summary>
public sealed record HistoryTarget(string Name, bool IsRoom, long NewestMs);
