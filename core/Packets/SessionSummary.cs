namespace LanTalk.Core.Packets;

/// <summary>One session of a user in a WhoIs answer: its id, its ClientHello description, login time and version.</summary>
public readonly record struct SessionSummary(ulong SessionId, string Client, long SinceMs, ushort Version);
