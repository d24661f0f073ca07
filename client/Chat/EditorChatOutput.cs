namespace LanTalk.Client.Chat;

/// <summary>Interactive mode: everything is printed above the input row.</summary>
internal sealed class EditorChatOutput(Core.Terminal.LineEditor editor) : IChatOutput
{
    public void Line(string text) => editor.PrintAbove(text);

    public void Status(string text) => editor.PrintAbove(text);

    public void Bell() => editor.Bell();
}
