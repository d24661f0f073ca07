namespace LanTalk.Client.Chat;

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
