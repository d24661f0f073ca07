namespace LanTalk.Server.Irc;

/// <summary>What <see cref="IrcLineFramer.TryTake"/> found in the buffered bytes.</summary>
internal enum IrcFrameResult
{
    /// <summary>No complete line yet: read more.</summary>
    NeedMore,

    /// <summary>A complete line, without its CR LF.</summary>
    Line,

    /// <summary>A line grew past <see cref="IrcLimits.MaxFramedBytes"/>; its bytes up to the next LF are dropped.</summary>
    TooLong,
}
