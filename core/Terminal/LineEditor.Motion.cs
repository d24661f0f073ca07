using System.Globalization;

namespace LanTalk.Core.Terminal;

/// <summary>Cursor motion by grapheme cluster (what the user sees as one character) and by word.</summary>
public sealed partial class LineEditor
{
    /// <summary>
    /// The grapheme boundaries from <paramref name="start"/>, which must be one, to the end. Walking from 0 each
    /// time made every key cost the whole line, and a long line the square of its length.
    /// </summary>
    private IEnumerable<int> Boundaries(int start)
    {
        int index = start;
        yield return index;
        while (index < _buffer.Length)
        {
            index += StringInfo.GetNextTextElementLength(_buffer, index);
            yield return index;
        }
    }

    /// <summary>
    /// A boundary at or before <paramref name="position"/> that is one for certain without walking from the start:
    /// between two printable ASCII characters no grapheme rule joins (a combining mark, ZWJ or flag half is never
    /// ASCII), so text in ASCII finds one at once; other text may walk back to 0.
    /// </summary>
    private int CertainBoundaryAtOrBefore(int position)
    {
        for (int i = Math.Min(position, _buffer.Length - 1); i > 0; i--)
        {
            if (IsPrintableAscii(_buffer[i]) && IsPrintableAscii(_buffer[i - 1]))
            {
                return i;
            }
        }

        return 0;
    }

    private static bool IsPrintableAscii(char c) => c is >= ' ' and <= '~';

    private int BoundaryAtOrAfter(int position) => Boundaries(CertainBoundaryAtOrBefore(position)).First(b => b >= position);

    private int Previous(int position) => position <= 0 ? 0 : Boundaries(CertainBoundaryAtOrBefore(position - 1)).TakeWhile(b => b < position).Last();

    // The cursor is always on a boundary, so the next one is one grapheme further.
    private int Next(int position) => position >= _buffer.Length ? _buffer.Length : position + StringInfo.GetNextTextElementLength(_buffer, position);

    private int WordStart(int position)
    {
        while (position > 0 && _buffer[position - 1] == ' ')
        {
            position--;
        }

        while (position > 0 && _buffer[position - 1] != ' ')
        {
            position--;
        }

        return position;
    }

    private int WordEnd(int position)
    {
        while (position < _buffer.Length && _buffer[position] == ' ')
        {
            position++;
        }

        while (position < _buffer.Length && _buffer[position] != ' ')
        {
            position++;
        }

        return position;
    }
}
