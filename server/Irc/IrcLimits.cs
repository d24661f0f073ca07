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

    /// <summary>
    /// RFC 2812 §2.3: at most 15 parameters; more are refused (461 naming the command) rather than silently merged.
    /// Many servers fold the rest of the line into the 15th, as RFC 2812's grammar allows, but no client sends 16 on
    /// purpose, and a folded line would run as a different command than the one sent (a MODE whose 15th "mode" is
    /// "+i +i +i ...", a USER whose real name gains words): a refusal that names the command tells the client which
    /// of its lines went wrong (an IRC audit, 2026-12-07, weighed both).
    /// </summary>
    public const int MaxParams = 15;

    /// <summary>Tags per message: a client cannot make the parser build thousands of tiny objects from one line.</summary>
    public const int MaxTags = 64;
}
