using System.Text;

namespace LanTalk.Client.Text;

/// <summary>
/// Reads lines that end only at \n, a \r directly before it dropped (CRLF files). .NET's ReadLine also ends a line
/// at a bare \r: piped "/msg carol a\rb" sent "a" privately and "b" to the room (an outside audit, F3). A \r
/// anywhere else is part of the line's text and is shown made visible, like any other control character.
/// </summary>
internal static class LfLines
{
    /// <summary>The next line without its line end, or null at end of input.</summary>
    public static string? Read(TextReader reader)
    {
        var line = new StringBuilder();
        while (true)
        {
            int c = reader.Read();
            if (c < 0)
            {
                return line.Length > 0 ? line.ToString() : null;
            }

            if (c == '\n')
            {
                if (line.Length > 0 && line[^1] == '\r')
                {
                    line.Length--;
                }

                return line.ToString();
            }

            line.Append((char)c);
        }
    }

    /// <summary>Every line of <paramref name="reader"/>, as <see cref="Read"/> ends them.</summary>
    public static IEnumerable<string> All(TextReader reader)
    {
        while (Read(reader) is { } line)
        {
            yield return line;
        }
    }
}
