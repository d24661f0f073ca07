using LanTalk.Core.Packets;

namespace LanTalk.Server.Rooms;

/// <summary>One room as the rooms file holds it.</summary>
internal sealed record SavedRoom(
    string Name,
    RoomModes Modes,
    string Topic,
    string TopicBy,
    long TopicTimeMs,
    IReadOnlyList<string> Owners,
    IReadOnlyList<string> Invited,
    IReadOnlyList<(string Name, long JoinedAtMs)> Members,
    long HistoryFrom = 0);
