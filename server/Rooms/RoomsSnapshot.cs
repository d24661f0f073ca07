namespace LanTalk.Server.Rooms;

/// <summary>Everything the rooms file holds: the rooms and who left the default room.</summary>
internal sealed record RoomsSnapshot(IReadOnlyList<SavedRoom> Rooms, IReadOnlyList<string> LeftDefault)
{
    public static RoomsSnapshot Empty { get; } = new([], []);
}
