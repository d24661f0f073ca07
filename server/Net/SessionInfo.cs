using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.Users;

namespace LanTalk.Server.Net;

/// <summary>A logged-in user as the operator console shows it.</summary>
public sealed record SessionInfo(string UserName, string Remote, DateTimeOffset LoginTime);
