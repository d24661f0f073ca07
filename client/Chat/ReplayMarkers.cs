namespace LanTalk.Client.Chat;

/// <summary>
/// Frames replayed history with dim markers: <c>— earlier —</c> (history on join) or <c>— missed while away —</c>
/// (catch-up after a reconnect) before the first replayed message of a room, and <c>— now —</c> after the
/// server's HistoryEnd, so the reader sees where the past ends and live talk begins.
/// Thread-safe: the join is requested from the keyboard or the reconnect task, the replay arrives on the network.
/// </summary>
internal sealed class ReplayMarkers
{
    public const string Earlier = "earlier";

    public const string MissedWhileAway = "missed while away";

    public const string Now = "now";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _expected = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _open = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A join is on its way: its replay is a catch-up (SinceId &gt; 0) or the room's recent history.</summary>
    public void Expect(string room, bool catchUp)
    {
        lock (_lock)
        {
            _expected[room] = catchUp ? MissedWhileAway : Earlier;
        }
    }

    /// <summary>A replayed message of <paramref name="room"/> arrived: the opening marker's label when it is the first, otherwise null.</summary>
    public string? Replayed(string room)
    {
        lock (_lock)
        {
            if (!_open.Add(room))
            {
                return null;
            }

            return _expected.Remove(room, out string? label) ? label : Earlier;
        }
    }

    /// <summary>The replay of <paramref name="room"/> ended: true when a marker was opened and must be closed.</summary>
    public bool Ended(string room)
    {
        lock (_lock)
        {
            _expected.Remove(room);
            return _open.Remove(room);
        }
    }
}
