namespace LanTalk.Server.Rooms;

internal sealed partial class RoomRegistry
{
    private readonly RoomsFile? _roomsFile;

    /// <summary>The state to save. Under the lock.</summary>
    private RoomsSnapshot Snapshot() => new(
        _rooms.Values.Select(r => new SavedRoom(
            r.Name, r.Modes, r.Topic, r.TopicBy, r.TopicTimeMs, r.Owners.ToArray(), r.Invited.ToArray(),
            r.Members.Select(m => (m.Key, m.Value.JoinedAtMs)).ToArray())).ToArray(),
        _leftDefault.ToArray());

    /// <summary>Writes the rooms file; called from the batch loop only, outside the lock. A failure is logged and retried with the next change.</summary>
    private void Save(RoomsSnapshot snapshot)
    {
        try
        {
            _roomsFile!.Save(snapshot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            s_log.Error("Could not save the rooms to {File}: {Error}; the rooms live on in memory and are saved with the next change", _roomsFile!.Path, ex.Message);
        }
    }
}
