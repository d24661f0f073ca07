using System.Globalization;

namespace LanTalk.Core.Terminal;

/// <summary>Cursor motion by grapheme cluster (what the user sees as one character) and by word.</summary>
public sealed partial class LineEditor
{
    /// <summary>Every grapheme boundary, 0 and the end included.</summary>
    private IEnumerable<int> Boundaries()
    {
        int index = 0;
        yield return 0;
        while (index < _buffer.Length)
        {
            index += StringInfo.GetNextTextElementLength(_buffer, index);
            yield return index;
        }
    }

    private int Previous(int position) => Boundaries().LastOrDefault(b => b < position);

    private int Next(int position) => position >= _buffer.Length ? _buffer.Length : Boundaries().First(b => b > position);

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
