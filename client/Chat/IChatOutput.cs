namespace LanTalk.Client.Chat;

/// <summary>Where chat lines go: above the input row in the terminal, or stdout and stderr in pipe mode.</summary>
internal interface IChatOutput
{
    /// <summary>A chat event or requested information (messages, presence, /who, /archive).</summary>
    void Line(string text);

    /// <summary>Connection state and errors; pipe mode sends these to stderr so stdout holds only events.</summary>
    void Status(string text);

    /// <summary>Rings the terminal bell; pipe mode's stdout is data, so nothing rings there.</summary>
    void Bell()
    {
    }
}

/// <summary>Pipe mode: one event per stdout line, status on stderr. Locked, because network threads print too.</summary>
internal sealed class StreamChatOutput(TextWriter output, TextWriter status) : IChatOutput
{
    private readonly Lock _lock = new();

    public void Line(string text)
    {
        lock (_lock)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }

    public void Status(string text)
    {
        lock (_lock)
        {
            status.WriteLine(text);
            status.Flush();
        }
    }
}

/// <summary>Interactive mode: everything is printed above the input row.</summary>
internal sealed class EditorChatOutput(Core.Terminal.LineEditor editor) : IChatOutput
{
    public void Line(string text) => editor.PrintAbove(text);

    public void Status(string text) => editor.PrintAbove(text);

    public void Bell() => editor.Bell();
}
