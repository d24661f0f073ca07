namespace LanTalk.Server.Users;

/// <summary>
/// Unicode's Default_Ignorable_Code_Point property: characters that render as nothing, so a name holding one looks
/// exactly like the name without it. .NET has no API for the property.
/// </summary>
/// <remarks>
/// The ranges are DerivedCoreProperties.txt's (https://www.unicode.org/Public/UCD/latest/ucd/DerivedCoreProperties.txt,
/// unchanged from Unicode 14 to 16), checked against Perl's \p{Default_Ignorable_Code_Point}. Several are letters
/// (Lo: the Hangul fillers) or non-spacing marks (Mn: variation selectors, U+034F, the Mongolian free variation
/// selectors), which the name rule otherwise admits; the rest are format characters it already refuses.
/// </remarks>
internal static class DefaultIgnorable
{
    private static readonly (int First, int Last)[] Ranges =
    [
        (0x00AD, 0x00AD), // soft hyphen
        (0x034F, 0x034F), // combining grapheme joiner
        (0x061C, 0x061C), // Arabic letter mark
        (0x115F, 0x1160), // Hangul choseong and jungseong fillers
        (0x17B4, 0x17B5), // Khmer inherent vowels
        (0x180B, 0x180F), // Mongolian free variation selectors and vowel separator
        (0x200B, 0x200F), // zero width space, joiners, direction marks
        (0x202A, 0x202E), // bidirectional embeddings and overrides
        (0x2060, 0x206F), // word joiner, invisible operators, isolates
        (0x3164, 0x3164), // Hangul filler
        (0xFE00, 0xFE0F), // variation selectors 1-16
        (0xFEFF, 0xFEFF), // zero width no-break space (byte order mark)
        (0xFFA0, 0xFFA0), // halfwidth Hangul filler
        (0xFFF0, 0xFFF8), // reserved
        (0x1BCA0, 0x1BCA3), // shorthand format controls
        (0x1D173, 0x1D17A), // musical symbol beam and phrase controls
        (0xE0000, 0xE0FFF), // tags, variation selectors 17-256, reserved
    ];

    public static bool Contains(int codePoint)
    {
        foreach (var (first, last) in Ranges)
        {
            if (codePoint < first)
            {
                return false;
            }

            if (codePoint <= last)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first default-ignorable character of <paramref name="text"/>, or null.</summary>
    public static int? FirstIn(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Contains(rune.Value))
            {
                return rune.Value;
            }
        }

        return null;
    }
}
