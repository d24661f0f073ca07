namespace LanTalk.Client.Chat;

/// <summary>Where chat lines go: above the input row in the terminal, or stdout and stderr in pipe mode.</summary>
internal interface IChatOutput
{
    /// <summary>A chat event or requested information (messages, presence, /who, /archive).</summary>
    void Line(string text);

    /// <summary>
    /// A chat message whose text starts at column <paramref name="indent"/>: an interactive terminal continues a row
    /// too long for it there, broken at a space. Elsewhere (pipes, tests) it is <see cref="Line(string)"/>.
    /// </summary>
    void Line(string text, int indent) => Line(text);

    /// <summary>Connection state and errors; pipe mode sends these to stderr so stdout holds only events.</summary>
    void Status(string text);

    /// <summary>Rings the terminal bell; pipe mode's stdout is data, so nothing rings there.</summary>
    void Bell()
    {
    }
}
