namespace LanTalk.Server.Irc;

/// <summary>The line limits the IRC gateway enforces on untrusted input (RFC 1459 §2.3 and IRCv3 message-tags).</summary>
internal static class IrcLimits
{
    /// <summary>RFC 1459: a line is at most 512 bytes including its CR LF; tags are counted apart.</summary>
    public const int MaxLineBytes = 512;

    /// <summary>IRCv3 message-tags: the tags part, the leading '@' and the trailing space included, is at most 8191 bytes.</summary>
    public const int MaxTagBytes = 8191;

    /// <summary>
    /// IRCv3 message-tags: the tags part a client sends, '@' and space included, is at most 4096 bytes; the other
    /// 4095 of <see cref="MaxTagBytes"/> are the server's, so a relayed line with client tags never passes 8191.
    /// </summary>
    public const int MaxClientTagBytes = 4096;

    /// <summary>The most a framed line can hold before it is refused unread: the tags plus a full line.</summary>
    public const int MaxFramedBytes = MaxTagBytes + MaxLineBytes;

    /// <summary>RFC 2812 §2.3: at most 15 parameters; more are refused rather than silently merged.</summary>
    public const int MaxParams = 15;

    /// <summary>Tags per message: a client cannot make the parser build thousands of tiny objects from one line.</summary>
    public const int MaxTags = 64;
}
