namespace LanTalk.Client.Archive;

/// <summary>
/// One archive day file read whole, with where each non-empty line lies: a search matches lines where they lie and
/// copies out only its matches. Lines end at '\n' (a '\r' before it is dropped, for a file edited on Windows); a
/// message's own line breaks are escaped in the file (ArchiveFormat), so they never end a line.
/// </summary>
internal sealed class DayText
{
    private readonly string _text;
    private readonly List<(int Start, int Length)> _lines;

    private DayText(string text, List<(int Start, int Length)> lines)
    {
        _text = text;
        _lines = lines;
    }

    public int Count => _lines.Count;

    /// <summary>Reads <paramref name="file"/>; FileShare.ReadWrite, since the running client may be appending to today's.</summary>
    public static DayText Read(string file)
    {
        string text;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }

        var lines = new List<(int Start, int Length)>();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            int stop = end > start && text[end - 1] == '\r' ? end - 1 : end;
            if (stop > start)
            {
                lines.Add((start, stop - start));
            }

            start = end + 1;
        }

        return new DayText(text, lines);
    }

    public ReadOnlySpan<char> Span(int line) => _text.AsSpan(_lines[line].Start, _lines[line].Length);

    public string Line(int line) => _text.Substring(_lines[line].Start, _lines[line].Length);
}
