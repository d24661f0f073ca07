namespace LanTalk.Server.Irc;

/// <summary>The IRCv3 capabilities the gateway offers, as flags a session holds once requested.</summary>
[Flags]
internal enum IrcCaps
{
    None = 0,
    ServerTime = 1,
    EchoMessage = 2,
    MessageTags = 4,
    AwayNotify = 8,
    Sasl = 16,
}
