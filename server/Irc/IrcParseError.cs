namespace LanTalk.Server.Irc;

/// <summary>Why a line was refused; the session answers each with a numeric (docs/PROTOCOL.md, "IRC gateway").</summary>
internal enum IrcParseError
{
    /// <summary>Parsed.</summary>
    None,

    /// <summary>An empty line (or only spaces): ignored, as RFC 1459 allows.</summary>
    Empty,

    /// <summary>The line without its tags is over 512 bytes (417 ERR_INPUTTOOLONG).</summary>
    LineTooLong,

    /// <summary>The tags part is over 4096 bytes (a client's share, IRCv3) or has too many tags (417).</summary>
    TagsTooLong,

    /// <summary>A NUL byte, a missing command, a malformed source or tag: the line is refused (421 or ERROR).</summary>
    Malformed,

    /// <summary>More than 15 parameters (461 naming the command): the only error that still hands back the message read.</summary>
    TooManyParams,
}
