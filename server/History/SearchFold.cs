namespace LanTalk.Server.History;

/// <summary>
/// What text goes through before it reaches the full-text index, and the words of a search the same way:
/// <list type="bullet">
/// <item>Accents come off Greek letters: FTS5's unicode61 tokenizer removes diacritics from Latin letters only, so
/// "γεια" did not find "γειά", while PROTOCOL.md (Search) promises that tokens compare without diacritics. The server
/// runs without ICU, so there is no string.Normalize to do it with; the tables are each letter's NFD with its
/// non-spacing marks removed, generated from Python's unicodedata (Unicode 14) for the Greek and Coptic block and for
/// Greek Extended.</item>
/// <item>Each letter of a script written without spaces between words (Chinese, Japanese, Thai, ...; and Hangul,
/// whose words carry their particles) becomes a token of its own, spaces put around it: unicode61 made a whole run
/// one token, so "東京" did not find "今日は東京へ". A search word's tokens must occur consecutively, so a run in a
/// query finds that run anywhere in a message, as a substring search would.</item>
/// </list>
/// </summary>
internal static class SearchFold
{
    /// <summary>The SQL function the index and its delete trigger call (HistorySchema step 5).</summary>
    public const string FunctionName = "lantalk_fold";

    /// <summary>
    /// What the index and the trigger take of a message's text: the same value as lantalk_fold(COLUMN) for every text,
    /// but the function is called only for a text with a character at or above U+0370 (every character <see cref="Fold"/>
    /// changes is), so the usual message costs a scan in C, not a call into .NET with two string copies on the writer's
    /// thread. An ASCII text (as many bytes as characters) is not even scanned for one: the scan costs 1 us for 64
    /// characters, and a class of the ten ranges Fold touches cost 5 us, which took burst-32 from 0.41 to 0.58 us per
    /// delivery (SQLite parses a GLOB class at every character). HistorySchema's step 6 stores this in the delete
    /// trigger: a change here needs a step that builds the index again (and step 5 keeps its own copy).
    /// </summary>
    public static string Sql(string column) =>
        $"CASE WHEN length({column}) <> length(CAST({column} AS BLOB)) AND {column} GLOB '*[\u0370-\U0003FFFF]*' THEN {FunctionName}({column}) ELSE {column} END";

    // Index = code point - 0x0370; each character is the letter's base, or itself.
    private const string Greek =
        "\u0370\u0371\u0372\u0373\u02B9\u0375\u0376\u0377\u0378\u0379\u037A\u037B\u037C\u037D\u037E\u037F" + // U+0370
        "\u0380\u0381\u0382\u0383\u0384\u0385\u0391\u0387\u0395\u0397\u0399\u038B\u039F\u038D\u03A5\u03A9" + // U+0380
        "\u03B9\u0391\u0392\u0393\u0394\u0395\u0396\u0397\u0398\u0399\u039A\u039B\u039C\u039D\u039E\u039F" + // U+0390
        "\u03A0\u03A1\u03A2\u03A3\u03A4\u03A5\u03A6\u03A7\u03A8\u03A9\u0399\u03A5\u03B1\u03B5\u03B7\u03B9" + // U+03A0
        "\u03C5\u03B1\u03B2\u03B3\u03B4\u03B5\u03B6\u03B7\u03B8\u03B9\u03BA\u03BB\u03BC\u03BD\u03BE\u03BF" + // U+03B0
        "\u03C0\u03C1\u03C2\u03C3\u03C4\u03C5\u03C6\u03C7\u03C8\u03C9\u03B9\u03C5\u03BF\u03C5\u03C9\u03CF" + // U+03C0
        "\u03D0\u03D1\u03D2\u03D2\u03D2\u03D5\u03D6\u03D7\u03D8\u03D9\u03DA\u03DB\u03DC\u03DD\u03DE\u03DF" + // U+03D0
        "\u03E0\u03E1\u03E2\u03E3\u03E4\u03E5\u03E6\u03E7\u03E8\u03E9\u03EA\u03EB\u03EC\u03ED\u03EE\u03EF" + // U+03E0
        "\u03F0\u03F1\u03F2\u03F3\u03F4\u03F5\u03F6\u03F7\u03F8\u03F9\u03FA\u03FB\u03FC\u03FD\u03FE\u03FF"; // U+03F0

    // Index = code point - 0x1F00.
    private const string GreekExtended =
        "\u03B1\u03B1\u03B1\u03B1\u03B1\u03B1\u03B1\u03B1\u0391\u0391\u0391\u0391\u0391\u0391\u0391\u0391" + // U+1F00
        "\u03B5\u03B5\u03B5\u03B5\u03B5\u03B5\u1F16\u1F17\u0395\u0395\u0395\u0395\u0395\u0395\u1F1E\u1F1F" + // U+1F10
        "\u03B7\u03B7\u03B7\u03B7\u03B7\u03B7\u03B7\u03B7\u0397\u0397\u0397\u0397\u0397\u0397\u0397\u0397" + // U+1F20
        "\u03B9\u03B9\u03B9\u03B9\u03B9\u03B9\u03B9\u03B9\u0399\u0399\u0399\u0399\u0399\u0399\u0399\u0399" + // U+1F30
        "\u03BF\u03BF\u03BF\u03BF\u03BF\u03BF\u1F46\u1F47\u039F\u039F\u039F\u039F\u039F\u039F\u1F4E\u1F4F" + // U+1F40
        "\u03C5\u03C5\u03C5\u03C5\u03C5\u03C5\u03C5\u03C5\u1F58\u03A5\u1F5A\u03A5\u1F5C\u03A5\u1F5E\u03A5" + // U+1F50
        "\u03C9\u03C9\u03C9\u03C9\u03C9\u03C9\u03C9\u03C9\u03A9\u03A9\u03A9\u03A9\u03A9\u03A9\u03A9\u03A9" + // U+1F60
        "\u03B1\u03B1\u03B5\u03B5\u03B7\u03B7\u03B9\u03B9\u03BF\u03BF\u03C5\u03C5\u03C9\u03C9\u1F7E\u1F7F" + // U+1F70
        "\u03B1\u03B1\u03B1\u03B1\u03B1\u03B1\u03B1\u03B1\u0391\u0391\u0391\u0391\u0391\u0391\u0391\u0391" + // U+1F80
        "\u03B7\u03B7\u03B7\u03B7\u03B7\u03B7\u03B7\u03B7\u0397\u0397\u0397\u0397\u0397\u0397\u0397\u0397" + // U+1F90
        "\u03C9\u03C9\u03C9\u03C9\u03C9\u03C9\u03C9\u03C9\u03A9\u03A9\u03A9\u03A9\u03A9\u03A9\u03A9\u03A9" + // U+1FA0
        "\u03B1\u03B1\u03B1\u03B1\u03B1\u1FB5\u03B1\u03B1\u0391\u0391\u0391\u0391\u0391\u1FBD\u03B9\u1FBF" + // U+1FB0
        "\u1FC0\u1FC1\u03B7\u03B7\u03B7\u1FC5\u03B7\u03B7\u0395\u0395\u0397\u0397\u0397\u1FCD\u1FCE\u1FCF" + // U+1FC0
        "\u03B9\u03B9\u03B9\u03B9\u1FD4\u1FD5\u03B9\u03B9\u0399\u0399\u0399\u0399\u1FDC\u1FDD\u1FDE\u1FDF" + // U+1FD0
        "\u03C5\u03C5\u03C5\u03C5\u03C1\u03C1\u03C5\u03C5\u03A5\u03A5\u03A5\u03A5\u03A1\u1FED\u1FEE\u1FEF" + // U+1FE0
        "\u1FF0\u1FF1\u03C9\u03C9\u03C9\u1FF5\u03C9\u03C9\u039F\u039F\u03A9\u03A9\u03A9\u1FFD\u1FFE\u1FFF"; // U+1FF0

    /// <summary>
    /// <paramref name="text"/> with accented Greek letters replaced by their base letters and every letter of a script
    /// without spaces between words set apart (<see cref="LanTalk.Core.Protocol.WordlessScripts"/>); the same string when it has neither.
    /// </summary>
    public static string Fold(string text) => SetApartWordless(FoldGreek(text));

    private static string FoldGreek(string text)
    {
        int first = text.AsSpan().IndexOfAnyInRange('\u0370', '\u1FFF');
        while (first >= 0 && Map(text[first]) == text[first])
        {
            int next = text.AsSpan(first + 1).IndexOfAnyInRange('\u0370', '\u1FFF');
            first = next < 0 ? -1 : first + 1 + next;
        }

        if (first < 0)
        {
            // The usual message (no accented Greek letter): no copy.
            return text;
        }

        return string.Create(text.Length, (text, first), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            for (int i = state.first; i < span.Length; i++)
            {
                span[i] = Map(span[i]);
            }
        });
    }

    /// <summary>
    /// <paramref name="text"/> with a space before and after each letter of a script written without spaces between
    /// words, so the tokenizer sees each as a token. A combining mark stays with the letter before it (a Thai vowel
    /// sign, a kana voicing mark): split off, it would be a token of its own that no search word writes apart.
    /// Extra spaces cost nothing; they only separate.
    /// </summary>
    private static string SetApartWordless(string text)
    {
        int first = FirstWordless(text);
        if (first < 0)
        {
            return text;
        }

        var folded = new System.Text.StringBuilder(text.Length * 2);
        folded.Append(text, 0, first);
        bool afterWordless = false;
        Span<char> units = stackalloc char[2];
        foreach (var rune in text.AsSpan(first).EnumerateRunes())
        {
            if (!IsMark(rune))
            {
                bool wordless = LanTalk.Core.Protocol.WordlessScripts.Contains(rune.Value);
                if (wordless || afterWordless)
                {
                    folded.Append(' ');
                }

                afterWordless = wordless;
            }

            folded.Append(units[..rune.EncodeToUtf16(units)]);
        }

        return folded.ToString();
    }

    private static int FirstWordless(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            int code = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? char.ConvertToUtf32(text[i], text[i + 1])
                : text[i];
            if (LanTalk.Core.Protocol.WordlessScripts.Contains(code))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsMark(System.Text.Rune rune) => System.Text.Rune.GetUnicodeCategory(rune) is
        System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark
        or System.Globalization.UnicodeCategory.EnclosingMark;

    /// <summary>Makes <see cref="FunctionName"/> callable on <paramref name="connection"/>: every connection that indexes or deletes messages needs it.</summary>
    public static void Register(Microsoft.Data.Sqlite.SqliteConnection connection) =>
        connection.CreateFunction<string, string>(FunctionName, Fold, isDeterministic: true);

    private static char Map(char c) => c switch
    {
        >= '\u0370' and <= '\u03FF' => Greek[c - 0x0370],
        >= '\u1F00' and <= '\u1FFF' => GreekExtended[c - 0x1F00],
        _ => c,
    };
}
