using System.Globalization;
using System.Text;

namespace LanTalk.Client.Chat;

/// <summary>
/// Where the server reads a /search query differently from how it looks (docs/PROTOCOL.md, Search): only letters,
/// digits and marks make tokens, and a prefix needs two of them before its <c>*</c>. Without these notes "/search 😀"
/// answered "nothing found" next to two messages holding it, and "/search e*" quietly found only the word "e" (a UX
/// audit, 2026-12-07). Text written without spaces (Chinese, Japanese, Thai) needs no note: the server makes each of
/// its letters a token, so a run is found wherever it occurs, and a <c>*</c> after one changes nothing.
/// </summary>
internal static class SearchHints
{
    /// <summary>The most words named in one note; a longer query is rare and its note would wrap for rows.</summary>
    private const int MaxNamed = 3;

    /// <summary>True when no word holds a letter, digit or mark: the server ignores every word and finds nothing.</summary>
    public static bool NothingToSearch(string query) => !Words(query).Any(word => Runes(word).Any(IsTokenRune));

    /// <summary>The words ending in <c>*</c> whose last token has fewer than 2 characters: the server drops the <c>*</c>.</summary>
    public static IReadOnlyList<string> ShortPrefixes(string query) =>
        Words(query).Where(IsShortPrefix).Take(MaxNamed).ToList();

    /// <summary>The note for a query with one-letter prefixes, or null: "e*" looks for the word "e".</summary>
    public static string? ShortPrefixNote(string query)
    {
        var words = ShortPrefixes(query);
        if (words.Count == 0)
        {
            return null;
        }

        string named = string.Join(", ", words.Select(w => $"'{w}'"));
        string whole = string.Join(", ", words.Select(w => $"'{w.TrimEnd('*')}'"));
        return $"{named}: a prefix needs at least 2 letters before the *, so this looks for the whole word {whole}";
    }

    private static bool IsShortPrefix(string word)
    {
        if (!word.EndsWith('*'))
        {
            return false;
        }

        var runes = Runes(word.TrimEnd('*')).ToList();
        if (!runes.Any(IsTokenRune) || LanTalk.Core.Protocol.WordlessScripts.Contains(runes[^1].Value))
        {
            // No letter at all: ignored, not a whole word. A letter of text without spaces is a token on its own: the
            // search finds it wherever it occurs, which is what the * asked for.
            return false;
        }

        // The last token: the run of token characters at the end (after the last separator such as '-').
        int last = runes.AsEnumerable().Reverse().TakeWhile(IsTokenRune).Count(r => !IsMark(r));
        return last < 2;
    }

    private static string[] Words(string query) => query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static StringRuneEnumerator Runes(string text) => text.EnumerateRunes();

    // The unicode61 tokenizer's token characters: letters, digits, private use and marks (PROTOCOL.md, Search).
    private static bool IsTokenRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.PrivateUse => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        _ => false,
    };

    private static bool IsMark(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark
        or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}
