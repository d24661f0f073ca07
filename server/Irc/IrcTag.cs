namespace LanTalk.Server.Irc;

/// <summary>One IRCv3 message tag; <see cref="Value"/> is unescaped, empty when the tag had no value.</summary>
internal readonly record struct IrcTag(string Key, string Value);
