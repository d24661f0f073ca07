namespace LanTalk.Client.Chat;

/// <summary>
/// Interactive mode: everything is printed above the input row, broken at spaces to the terminal's width. A message
/// continues under its text; other lines (events, status) two columns in, so a continuation never reads as a new line.
/// </summary>
internal sealed class EditorChatOutput(Core.Terminal.LineEditor editor) : IChatOutput
{
    private const int EventIndent = 2;

    public void Line(string text) => editor.PrintAbove(text, EventIndent);

    public void Line(string text, int indent) => editor.PrintAbove(text, indent);

    public void Status(string text) => editor.PrintAbove(text, EventIndent);

    public void Bell() => editor.Bell();
}
