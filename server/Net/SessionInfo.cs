namespace LanTalk.Server.Net;

/// <summary>A logged-in user as the operator console shows it.</summary>
public sealed record SessionInfo(string UserName, string Remote, DateTimeOffset LoginTime);
