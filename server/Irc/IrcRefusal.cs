namespace LanTalk.Server.Irc;

/// <summary>Why the roster refused an IRC registration: the numeric to send and its text.</summary>
internal sealed record IrcRefusal(string Numeric, string Text);
