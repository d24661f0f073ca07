namespace LanTalk.Server.Irc;

/// <summary>
/// What an event line says (<see cref="IrcFrameCache.EventLine"/>): whether it carries a time tag, its source, command
/// and up to <see cref="MaxParameters"/> parameters, compared ordinally. A value, so a lookup allocates nothing.
/// </summary>
internal readonly record struct IrcEventKey
{
    /// <summary>Event lines have at most three parameters (KICK: channel, nick, reason; MODE: channel, mode, nick).</summary>
    public const int MaxParameters = 3;

    public IrcEventKey(bool timed, string source, string command, string[] parameters)
    {
        Timed = timed;
        Source = source;
        Command = command;
        Count = parameters.Length;
        P0 = parameters.Length > 0 ? parameters[0] : null;
        P1 = parameters.Length > 1 ? parameters[1] : null;
        P2 = parameters.Length > 2 ? parameters[2] : null;
    }

    public bool Timed { get; }

    public string Source { get; }

    public string Command { get; }

    public int Count { get; }

    public string? P0 { get; }

    public string? P1 { get; }

    public string? P2 { get; }
}
