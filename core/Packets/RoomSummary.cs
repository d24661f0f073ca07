namespace LanTalk.Core.Packets;

/// <summary>One entry of a RoomList: a room's stored name, its mode, how many members it has and its topic.</summary>
public readonly record struct RoomSummary(string Name, RoomModes Flags, int MemberCount, string Topic)
{
    /// <summary>The topic, cut to <see cref="WireStrings.MaxTextBytes"/> UTF-8 bytes (what a receiver reads).</summary>
    public string Topic { get; init => field = WireStrings.Fit(value, WireStrings.MaxTextBytes); } = WireStrings.Fit(Topic, WireStrings.MaxTextBytes);
}
