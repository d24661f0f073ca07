namespace LanTalk.Client.Chat;

/// <summary>
/// IRC's formatting codes, which people on the IRC gateway put in messages, topics and away texts (HexChat and mIRC
/// have keys for them). The terminal shows plain text: the codes and their colour numbers are taken out, where they
/// used to show as control pictures ("␃04red␃").
/// </summary>
internal static class IrcFormatting
{
    private const char Bold = '\x02', Colour = '\x03', HexColour = '\x04', Reset = '\x0F', Monospace = '\x11', Reverse = '\x16', Italic = '\x1D', Strike = '\x1E', Underline = '\x1F';

    private static readonly System.Buffers.SearchValues<char> s_codes = System.Buffers.SearchValues.Create([Bold, Colour, HexColour, Reset, Monospace, Reverse, Italic, Strike, Underline]);

    public static bool Contains(string text) => text.AsSpan().ContainsAny(s_codes);

    /// <summary>
    /// The text without the codes: colour 03 takes up to two digits, then a comma and up to two more (the comma stays
    /// text when no digit follows it); hex colour 04 likewise with six hex digits each.
    /// </summary>
    public static string Strip(string text)
    {
        if (!Contains(text))
        {
            return text;
        }

        var plain = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case Colour:
                    i = SkipColour(text, i + 1, 2, char.IsAsciiDigit) - 1;
                    break;
                case HexColour:
                    i = SkipColour(text, i + 1, 6, char.IsAsciiHexDigit) - 1;
                    break;
                case Bold or Reset or Monospace or Reverse or Italic or Strike or Underline:
                    break;
                default:
                    plain.Append(c);
                    break;
            }
        }

        return plain.ToString();
    }

    // Where the text goes on after a colour's "FG[,BG]" starting at i, each part at most `width` matching characters.
    private static int SkipColour(string text, int i, int width, Func<char, bool> isDigit)
    {
        int foreground = Count(text, i, width, isDigit);
        if (foreground == 0)
        {
            return i;
        }

        i += foreground;
        if (i < text.Length && text[i] == ',' && Count(text, i + 1, width, isDigit) is > 0 and var background)
        {
            i += 1 + background;
        }

        return i;
    }

    private static int Count(string text, int i, int width, Func<char, bool> isDigit)
    {
        int n = 0;
        while (n < width && i + n < text.Length && isDigit(text[i + n]))
        {
            n++;
        }

        return n;
    }
}
