namespace LanTalk.Core.Packets;

/// <summary>One entry of a RoomList: a room's stored name, its mode, how many members it has and its topic.</summary>
public readonly record struct RoomSummary(string Name, RoomModes Flags, int MemberCount, string Topic);
