using System.Text;
using LanTalk.Core.Terminal;

namespace LanTalk.Server.Hosting;

/// <summary>
/// A TextWriter that hands whole lines to the operator console's line editor, which prints them above the input
/// row. Console.Out is set to it while the console runs, so NLog's console target, the console's own answers and
/// anything else printed never break into what the operator is typing. Used through TextWriter.Synchronized.
/// </summary>
internal sealed class EditorWriter(LineEditor editor) : TextWriter
{
    private readonly StringBuilder _line = new();

    // Colour codes that arrive after a newline (a reset, say) belong to the next line, not to a line of their own.
    private string _carry = string.Empty;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            EndLine();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        foreach (char c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        for (int i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    private void EndLine()
    {
        string line = _carry + _line.ToString();
        _line.Clear();
        _carry = string.Empty;
        if (line.Length > 0 && IsOnlyEscapes(line))
        {
            _carry = line;
            return;
        }

        editor.PrintAbove(line);
    }

    private static bool IsOnlyEscapes(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '\x1b' || i + 1 >= text.Length || text[i + 1] != '[')
            {
                return false;
            }

            i += 2;
            while (i < text.Length && !char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            i++;
        }

        return true;
    }
}
