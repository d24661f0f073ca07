using System.Globalization;

namespace LanTalk.Server.Users;

/// <summary>
/// Finds where a name is not in Unicode NFC, so that "José" typed as e + U+0301 cannot become a second "José".
/// .NET's string.IsNormalized cannot do it here: the server runs without ICU (InvariantGlobalization), and there it
/// returns true for "Jose\u0301" (checked on .NET 10).
/// </summary>
/// <remarks>
/// Written for names, which the older rule already keeps to the Basic Multilingual Plane and to letters, digits and
/// non-spacing marks. It refuses a character NFC never keeps (NFC_Quick_Check=No: the Kelvin sign, the Angstrom sign,
/// CJK compatibility ideographs ...), a mark that composes with the last letter before it (looking past other marks,
/// which is stricter than NFC when a mark in between blocks the composition), and Hangul jamo that compose into a
/// syllable. What it does not see: two or more marks, none of which composes, in other than canonical order.
/// </remarks>
internal static partial class ComposedForm
{
    private static readonly HashSet<int> s_pairs = Pairs();

    /// <summary>The index of the first character that NFC would change, or -1.</summary>
    public static int FirstChange(string name)
    {
        int starter = -1;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (IsNeverInNfc(c) || (i > 0 && JamoCompose(name[i - 1], c)))
            {
                return i;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            // A spacing mark composes too, with the character right before it (Bengali U+09C7 + U+09BE is U+09CB);
            // it is then the starter for the marks after it.
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark && starter >= 0 && s_pairs.Contains(name[starter] << 16 | c))
            {
                return i;
            }

            if (category != UnicodeCategory.NonSpacingMark)
            {
                starter = i;
            }
        }

        return -1;
    }

    private static bool IsNeverInNfc(char c)
    {
        foreach (var (first, last) in NeverInNfc)
        {
            if (c < first)
            {
                return false;
            }

            if (c <= last)
            {
                return true;
            }
        }

        return false;
    }

    // Unicode's Hangul composition (chapter 3.12): a leading consonant and a vowel make an LV syllable, and an LV
    // syllable and a trailing consonant make an LVT syllable.
    private static bool JamoCompose(char before, char c) =>
        (c is >= '\u1161' and <= '\u1175' && before is >= '\u1100' and <= '\u1112')
        || (c is >= '\u11A8' and <= '\u11C2' && before is >= '\uAC00' and <= '\uD7A3' && (before - 0xAC00) % 28 == 0);

    private static HashSet<int> Pairs()
    {
        var pairs = new HashSet<int>(ComposingPairs.Length / 2);
        for (int i = 0; i + 1 < ComposingPairs.Length; i += 2)
        {
            pairs.Add(ComposingPairs[i] << 16 | ComposingPairs[i + 1]);
        }

        return pairs;
    }
}
