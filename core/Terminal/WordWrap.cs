using System.Globalization;
using System.Text;

namespace LanTalk.Core.Terminal;

/// <summary>
/// Breaks printed lines at spaces to fit the terminal, with continuation rows indented under the text (as irssi and
/// weechat do), instead of leaving the terminal to cut words at the edge. A word wider than the room left for it is
/// cut at the edge all the same. Escape sequences (the formatter's colours, CSI ... final byte) take no columns and
/// are copied through; the terminal keeps their colour across the break.
/// </summary>
public static class WordWrap
{
    // Below this many columns for text, an indent makes every row a word or two: drop it.
    private const int MinTextColumns = 12;

    /// <summary>
    /// <paramref name="text"/> (rows separated by '\n') with every row wider than <paramref name="width"/> broken at its
    /// last space that fits; continuation rows start with <paramref name="indent"/> spaces. Rows that fit, and all
    /// text when the width is unknown (0 or less), are returned unchanged.
    /// </summary>
    public static string Wrap(string text, int width, int indent)
    {
        if (width <= 0)
        {
            return text;
        }

        if (indent < 0 || width - indent < MinTextColumns)
        {
            indent = 0;
        }

        string[] rows = text.Split('\n');
        var result = new StringBuilder(text.Length + 16);
        for (int i = 0; i < rows.Length; i++)
        {
            if (i > 0)
            {
                result.Append('\n');
            }

            AppendRow(result, rows[i], width, RowIndent(rows[i], width, indent));
        }

        return result.ToString();
    }

    /// <summary>
    /// A row that starts with more spaces than <paramref name="indent"/> (a help list, a /who session line) continues
    /// under its own indent while that leaves room for text: at the given indent its continuation read as a new entry.
    /// </summary>
    private static int RowIndent(string row, int width, int indent)
    {
        int own = 0;
        while (own < row.Length && row[own] == ' ')
        {
            own++;
        }

        return own > indent && width - own >= MinTextColumns ? own : indent;
    }

    private static void AppendRow(StringBuilder result, string row, int width, int indent)
    {
        int column = 0;
        int rowStart = result.Length;
        // The last break on the current output row, where it is in result: after a space (dropped at the break) or
        // after a wide letter of a script written without spaces (kept).
        int breakAt = -1;
        bool breakAfterSpace = false;
        int index = 0;
        while (index < row.Length)
        {
            int length = ElementLength(row, index);
            ReadOnlySpan<char> element = row.AsSpan(index, length);
            int columns = element[0] == '\x1b' ? 0 : DisplayWidth.OfElement(element);
            if (column + columns > width && column > indent)
            {
                if (element[0] == ' ')
                {
                    // The row ends exactly at a space: the space itself is dropped, not moved down.
                    NewRow(result, indent);
                    rowStart = result.Length - indent;
                    column = indent;
                    breakAt = -1;
                    index += length;
                    continue;
                }

                if (breakAt > rowStart)
                {
                    // Move the word after the last space down; the space becomes the break.
                    string word = result.ToString(breakAt, result.Length - breakAt);
                    result.Length = breakAfterSpace ? breakAt - 1 : breakAt;
                    NewRow(result, indent);
                    rowStart = result.Length - indent;
                    result.Append(word);
                    column = indent + Columns(word);
                }
                else
                {
                    NewRow(result, indent);
                    rowStart = result.Length - indent;
                    column = indent;
                }

                breakAt = -1;
            }

            result.Append(element);
            column += columns;
            if (element[0] == ' ' && column > indent)
            {
                breakAt = result.Length;
                breakAfterSpace = true;
            }
            else if (columns == 2 && column > indent && BreaksAfter(element))
            {
                // Chinese and Japanese put no spaces between words: a line may break after any of their characters.
                // Without this a long run moved whole to the next row and left "bob:" alone on its own (a UX audit).
                breakAt = result.Length;
                breakAfterSpace = false;
            }

            index += length;
        }
    }

    /// <summary>A wide letter or punctuation mark (CJK ideographs, kana, Hangul, fullwidth forms), not an emoji.</summary>
    private static bool BreaksAfter(ReadOnlySpan<char> element) =>
        Rune.DecodeFromUtf16(element, out var rune, out _) == System.Buffers.OperationStatus.Done
        && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol);

    private static void NewRow(StringBuilder result, int indent) => result.Append('\n').Append(' ', indent);

    // A CSI escape (ESC [ parameters final) is one element of no width; anything else is a grapheme cluster.
    private static int ElementLength(string row, int index)
    {
        if (row[index] == '\x1b' && index + 1 < row.Length && row[index + 1] == '[')
        {
            int end = index + 2;
            while (end < row.Length && row[end] is < '\x40' or > '\x7e')
            {
                end++;
            }

            return Math.Min(end + 1, row.Length) - index;
        }

        return StringInfo.GetNextTextElementLength(row, index);
    }

    private static int Columns(string text)
    {
        int columns = 0;
        int index = 0;
        while (index < text.Length)
        {
            int length = ElementLength(text, index);
            columns += text[index] == '\x1b' ? 0 : DisplayWidth.OfElement(text.AsSpan(index, length));
            index += length;
        }

        return columns;
    }
}
