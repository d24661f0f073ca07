using System.Buffers;
using System.Globalization;
using System.Text;

namespace LanTalk.Server.History;

/// <summary>
/// A Search request's text as words for FTS5 (docs/PROTOCOL.md, Search): split at white space, words without a
/// token character dropped, each word a quoted phrase (quotes doubled, so user text can never be a malformed
/// query), a trailing * kept as a prefix search when the token it ends has at least <see cref="MinPrefixChars"/>
/// characters. Bounded by <see cref="MaxWords"/>.
/// </summary>
internal sealed class SearchQuery
{
    /// <summary>
    /// Most words in one search. FTS5 reads every word's doclist, and a prefix word merges the doclists of every
    /// token it covers: over 30,000 messages each "a*" cost about 45 ms of CPU, and one 4 KB query of 1,365 such words
    /// ran for minutes (the fault tester's t13). People search with a few words; 16 is far beyond that.
    /// </summary>
    public const int MaxWords = 16;

    /// <summary>
    /// Characters a prefix word's last token needs before its *: "a*" covers a good part of the whole vocabulary
    /// (every token starting with a), for a result nobody can use. A shorter one matches as a whole token.
    /// </summary>
    public const int MinPrefixChars = 2;

    private SearchQuery(IReadOnlyList<string> terms) => Terms = terms;

    /// <summary>The FTS5 phrases, one per word that has a token character.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>The FTS5 MATCH expression: every term (AND); empty when no word has a token character.</summary>
    public string MatchExpression => string.Join(' ', Terms);

    /// <summary>The text a search over <see cref="MaxWords"/> words is refused with (Error MessageTooLong).</summary>
    public static string TooManyWordsText(int words) =>
        $"a search may have at most {MaxWords} words; this one has {words}";

    /// <summary>Every word of <paramref name="text"/> that has a token character, as FTS5 phrases, however many.</summary>
    public static SearchQuery Parse(string text)
    {
        var terms = new List<string>();
        foreach (string word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!HasTokenCharacter(word))
            {
                // FTS5 would ignore it too; dropping it here keeps it out of the word count.
                continue;
            }

            // A trailing * is never part of a token, so dropping it where it makes no prefix changes nothing else.
            bool starred = word.Length > 1 && word.EndsWith('*');
            string bare = starred ? word[..^1] : word;
            // Folded as the index's text was (SearchFold), so "γεια" finds "γειά" and "東京" is the tokens 東 and 京;
            // the prefix rule counts the folded last token, so "東京*" is no prefix (a one-letter token, whole).
            string folded = SearchFold.Fold(bare);
            bool prefix = starred && LastTokenLength(folded) >= MinPrefixChars;
            // A NUL ends a string in SQLite's query parser ("unterminated string"), where any other separator is
            // just a separator: inside the phrase it becomes a space, which separates tokens the same way.
            string phrase = folded.Replace("\"", "\"\"", StringComparison.Ordinal).Replace('\0', ' ');
            terms.Add("\"" + phrase + "\"" + (prefix ? "*" : string.Empty));
        }

        return new SearchQuery(terms);
    }

    /// <summary>A letter, digit or private-use character: what FTS5's unicode61 tokenizer keeps (categories L, N, Co).</summary>
    private static bool IsTokenRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.PrivateUse => true,
        _ => false,
    };

    private static bool HasTokenCharacter(string word)
    {
        foreach (var rune in word.EnumerateRunes())
        {
            if (IsTokenRune(rune))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many token characters <paramref name="text"/> ends with: the length of the token a * after it would extend.</summary>
    private static int LastTokenLength(ReadOnlySpan<char> text)
    {
        int count = 0;
        while (!text.IsEmpty && Rune.DecodeLastFromUtf16(text, out var rune, out int units) == OperationStatus.Done && IsTokenRune(rune))
        {
            count++;
            text = text[..^units];
        }

        return count;
    }
}
