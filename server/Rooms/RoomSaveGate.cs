namespace LanTalk.Server.Rooms;

/// <summary>
/// Holds a new room's first messages until the rooms file holds the room. Its messages are acknowledged only once
/// stored, and a room a kill -9 lost from Rooms.xml after that would leave them acknowledged yet reachable by nobody
/// (its members gone with it). The wait is one rooms-file save, at most a presence batch (100 ms), once per room.
/// </summary>
internal sealed class RoomSaveGate
{
    private readonly TaskCompletionSource _saved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The save was written (or failed: chat does not stop for a read-only disk, whose error is logged).</summary>
    public void Open() => _saved.TrySetResult();

    /// <summary>Runs <paramref name="action"/> now when the room is saved, else as soon as it is.</summary>
    public void Then(Action action)
    {
        if (_saved.Task.IsCompleted)
        {
            action();
            return;
        }

        _saved.Task.ContinueWith(static (_, state) => ((Action)state!)(), action, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
