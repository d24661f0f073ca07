namespace LanTalk.Core.Packets;

/// <summary>One online user: name and when the session logged in (Unix ms, server clock).</summary>
public readonly record struct OnlineUser(string Name, long ConnectedAtMs);
