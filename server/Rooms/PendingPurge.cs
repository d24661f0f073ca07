namespace LanTalk.Server.Rooms;

/// <summary>
/// A deleted room whose stored messages are not all removed yet. Rooms.xml lists it (&lt;DeletedRoom&gt;) from the
/// same write that drops the room until the removal is complete, so a removal cut short (a kill -9 right after the
/// owner's Done, a stop, a failing disk) is taken up again: before, 20,000 rows of a room deleted just before a
/// kill -9 stayed in history.db, and in every backup, for good (a fault-injection audit, 2026-12-07). Under the
/// registry's lock.
/// </summary>
internal sealed class PendingPurge(string name)
{
    /// <summary>The room's name as it was deleted (names match case-insensitively).</summary>
    public string Name { get; } = name;

    /// <summary>Counts the removals started; only the outcome of the latest counts (a second deletion of the name may follow).</summary>
    public long Attempt { get; set; }

    /// <summary>A removal is running, or waits for the save that drops the room: nothing starts another meanwhile.</summary>
    public bool Queued { get; set; }

    /// <summary>The removal running is one taken up again (listed at start, or failed before): its end is logged.</summary>
    public bool Resumed { get; set; }
}
