using System.Globalization;
using System.Text;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Support;

/// <summary>
/// A tiny terminal emulator for editor tests: understands text (with wide characters taking two cells), CR, LF,
/// ESC[K, ESC[nC, ESC[nA, ESC[J, ESC[2J and ESC[H, and wraps at the width like a real terminal. Tests read the visible rows
/// and the cursor position back, as a user would see them.
/// </summary>
internal sealed class VirtualScreen(int width) : ITerminal
{
    private readonly List<string?[]> _rows = [new string?[width]];

    public int Width { get; set; } = width;

    public int Row { get; private set; }

    public int Column { get; private set; }

    public StringBuilder Raw { get; } = new();

    public void Write(string text)
    {
        Raw.Append(text);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '\x1b')
            {
                i = Escape(text, i);
                continue;
            }

            if (text[i] == '\r')
            {
                Column = 0;
                i++;
                continue;
            }

            if (text[i] == '\n')
            {
                NewRow();
                i++;
                continue;
            }

            int length = StringInfo.GetNextTextElementLength(text, i);
            Put(text.Substring(i, length));
            i += length;
        }
    }

    /// <summary>The text of a row, trailing blanks trimmed.</summary>
    public string RowText(int row)
    {
        var builder = new StringBuilder();
        foreach (string? cell in _rows[row])
        {
            if (cell is not null)
            {
                builder.Append(cell.Length == 0 ? string.Empty : cell);
            }
            else
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().TrimEnd();
    }

    public IReadOnlyList<string> Rows => [.. Enumerable.Range(0, _rows.Count).Select(RowText)];

    public string CurrentRow => RowText(Row);

    private void Put(string grapheme)
    {
        int cells = DisplayWidth.OfElement(grapheme);
        if (Column + cells > Width)
        {
            // Autowrap, as terminals do when text runs past the last column.
            NewRow();
            Column = 0;
        }

        var row = _rows[Row];
        row[Column] = grapheme;
        if (cells == 2)
        {
            row[Column + 1] = string.Empty;
        }

        Column += Math.Max(cells, 0);
    }

    private void NewRow()
    {
        Row++;
        if (Row == _rows.Count)
        {
            _rows.Add(new string?[Width]);
        }
    }

    private int Escape(string text, int start)
    {
        // ESC [ digits? letter
        int i = start + 2;
        int number = 0;
        bool any = false;
        while (char.IsAsciiDigit(text[i]))
        {
            number = (number * 10) + (text[i] - '0');
            any = true;
            i++;
        }

        switch (text[i])
        {
            case 'K':
                Array.Fill(_rows[Row], null, Column, Math.Max(0, _rows[Row].Length - Column));
                break;
            case 'C':
                Column = Math.Min(Width - 1, Column + (any ? number : 1));
                break;
            case 'J' when number == 2:
                foreach (var row in _rows)
                {
                    Array.Fill(row, null);
                }

                break;
            case 'J':
                // From the cursor to the end of the screen.
                Array.Fill(_rows[Row], null, Column, Math.Max(0, _rows[Row].Length - Column));
                for (int r = Row + 1; r < _rows.Count; r++)
                {
                    Array.Fill(_rows[r], null);
                }

                break;
            case 'A':
                Row = Math.Max(0, Row - (any ? number : 1));
                break;
            case 'H':
                Row = 0;
                Column = 0;
                break;
            default:
                throw new AssertionException($"the editor wrote an unexpected escape sequence ESC[{number}{text[i]}");
        }

        return i + 1;
    }
}
