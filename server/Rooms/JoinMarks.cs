namespace LanTalk.Server.Rooms;

/// <summary>
/// The rooms one session takes live messages of, each with its join mark (docs/PROTOCOL.md, the join mark): the id up
/// to which the session's own replay holds the room's messages. Shared by the ChatSocket and the IRC session.
/// </summary>
/// <remarks>
/// Not thread-safe: the owning session guards it with the same lock as its deliveries, so a delivery is judged against
/// the membership as it is at that moment. The last room looked up is remembered: a fan-out hands a session the
/// messages of one room in a row, and the dictionary lookup per delivery was 4 % of the server's CPU in crowd
/// (1,000 sessions, one room) and 8 % on the IRC port (perf record, 2026-12-02).
/// </remarks>
internal sealed class JoinMarks
{
    private readonly Dictionary<Room, ulong> _marks = new(ReferenceEqualityComparer.Instance);
    private Room? _lastRoom;
    private ulong _lastMark;

    /// <summary>The rooms the session takes live messages of.</summary>
    public int Count => _marks.Count;

    /// <summary>The session takes the room's live messages above <paramref name="mark"/> from now on.</summary>
    public void Set(Room room, ulong mark)
    {
        _marks[room] = mark;
        _lastRoom = null;
    }

    /// <summary>The session no longer takes the room's live messages.</summary>
    public void Remove(Room room)
    {
        _marks.Remove(room);
        _lastRoom = null;
    }

    /// <summary>
    /// Whether a live message <paramref name="id"/> of <paramref name="room"/> is for this session: it is in the room,
    /// and its replay does not already hold the message.
    /// </summary>
    public bool Admits(Room room, ulong id)
    {
        if (!ReferenceEquals(room, _lastRoom))
        {
            if (!_marks.TryGetValue(room, out ulong mark))
            {
                return false;
            }

            _lastRoom = room;
            _lastMark = mark;
        }

        return id > _lastMark;
    }
}
