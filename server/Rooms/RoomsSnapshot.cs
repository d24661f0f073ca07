namespace LanTalk.Server.Rooms;

/// <summary>
/// Everything the rooms file holds: the rooms, who left the default room, and which room that was
/// (<paramref name="DefaultRoom"/>; null in files written before it was recorded), and when each account named in it
/// was created (<paramref name="Accounts"/>, Unix ms; null or missing names in older files): a name whose account was
/// created at another time since is a new person, who must not inherit the old one's rooms. <paramref name="DeletedRooms"/>
/// names the deleted rooms whose stored messages are not all removed yet (<see cref="PendingPurge"/>).
/// </summary>
internal sealed record RoomsSnapshot(IReadOnlyList<SavedRoom> Rooms, IReadOnlyList<string> LeftDefault, string? DefaultRoom = null,
    IReadOnlyDictionary<string, long>? Accounts = null, IReadOnlyList<string>? DeletedRooms = null)
{
    public static RoomsSnapshot Empty { get; } = new([], []);
}
