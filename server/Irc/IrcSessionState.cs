namespace LanTalk.Server.Irc;

/// <summary>Where an IRC connection is in its life: only Registered sessions chat (anything else before it is 451).</summary>
internal enum IrcSessionState
{
    Registering,
    Registered,
    Closed,
}
