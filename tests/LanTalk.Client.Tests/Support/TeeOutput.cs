using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Support;

/// <summary>Passes each line to two outputs: what arrived (to wait on) and what the screen shows (behind a PageUp hold).</summary>
internal sealed class TeeOutput(IChatOutput first, IChatOutput second) : IChatOutput
{
    public void Line(string text)
    {
        first.Line(text);
        second.Line(text);
    }

    public void Status(string text)
    {
        first.Status(text);
        second.Status(text);
    }
}
