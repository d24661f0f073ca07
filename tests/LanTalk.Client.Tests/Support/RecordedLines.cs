using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Support;

/// <summary>What a printer wrote, in order, status lines marked "status: ", and the bells it rang; single-threaded unit tests only.</summary>
internal sealed class RecordedLines : IChatOutput
{
    public List<string> All { get; } = new();

    public int Bells { get; private set; }

    public void Line(string text) => All.Add(text);

    public void Status(string text) => All.Add("status: " + text);

    public void Bell() => Bells++;
}
