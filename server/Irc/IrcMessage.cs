namespace LanTalk.Server.Irc;

/// <summary>One parsed IRC line: IRCv3 tags, the optional source prefix, the command (upper case) and its parameters.</summary>
internal sealed record IrcMessage(IReadOnlyList<IrcTag> Tags, string? Source, string Command, IReadOnlyList<string> Params)
{
    /// <summary>The line (past its tags) was not valid UTF-8; its parameters hold U+FFFD where the bad bytes were.</summary>
    public bool InvalidUtf8 { get; init; }

    /// <summary>The parameter at <paramref name="index"/>, or empty when the client sent fewer.</summary>
    public string Param(int index) => index >= 0 && index < Params.Count ? Params[index] : string.Empty;

    public override string ToString() => Params.Count == 0 ? Command : $"{Command} ({Params.Count} params)";
}
