namespace LanTalk.Server.Rooms;

/// <summary>
/// Everything the rooms file holds: the rooms, who left the default room, and which room that was
/// (<paramref name="DefaultRoom"/>; null in files written before it was recorded).
/// </summary>
internal sealed record RoomsSnapshot(IReadOnlyList<SavedRoom> Rooms, IReadOnlyList<string> LeftDefault, string? DefaultRoom = null)
{
    public static RoomsSnapshot Empty { get; } = new([], []);
}
