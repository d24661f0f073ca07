namespace LanTalk.Server.Irc;

/// <summary>
/// One frame's message rendered as IRC lines for one kind of recipient. A live message's lines differ between
/// recipients only in the tags their caps ask for (server-time, message-tags), the command (PRIVMSG, or NOTICE in
/// an echo) and the target (the channel, or for a private message the other party), so that is the whole key; the
/// source and the client tags (<see cref="IrcFrameCache.ClientTags"/>) are the same for everyone who gets them, and a
/// batch is never on a live line.
/// </summary>
internal sealed record IrcRendering(IrcCaps TagCaps, string Command, string Target, byte[][] Lines)
{
    public bool Matches(IrcCaps tagCaps, string command, string target) =>
        TagCaps == tagCaps && string.Equals(Command, command, StringComparison.Ordinal) && string.Equals(Target, target, StringComparison.Ordinal);
}
