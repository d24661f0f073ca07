namespace LanTalk.Server.Irc;

/// <summary>One parsed IRC line: IRCv3 tags, the optional source prefix, the command (upper case) and its parameters.</summary>
internal sealed record IrcMessage(IReadOnlyList<IrcTag> Tags, string? Source, string Command, IReadOnlyList<string> Params)
{
    /// <summary>The parameter at <paramref name="index"/>, or empty when the client sent fewer.</summary>
    public string Param(int index) => index >= 0 && index < Params.Count ? Params[index] : string.Empty;

    public override string ToString() => Params.Count == 0 ? Command : $"{Command} ({Params.Count} params)";
}
