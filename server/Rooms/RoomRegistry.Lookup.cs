namespace LanTalk.Server.Rooms;

internal sealed partial class RoomRegistry
{
    /// <summary>Whether a room exists, for the IRC gateway's 403 (no such channel) versus 442 (not on it).</summary>
    public bool RoomExists(string name)
    {
        lock (_lock)
        {
            return _rooms.ContainsKey(name);
        }
    }
}
