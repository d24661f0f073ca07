namespace LanTalk.Client.Chat;

/// <summary>
/// Whether a message names you: your user name as a whole word, ignoring case, as irssi and weechat highlight.
/// "alice:" and "@alice" count; "malice" and "alice_bot" do not.
/// </summary>
internal static class Mentions
{
    /// <summary>The start index of every whole-word occurrence of <paramref name="name"/> in <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> Find(string text, string name)
    {
        var found = new List<int>();
        if (name.Length == 0)
        {
            return found;
        }

        int from = 0;
        while (from <= text.Length - name.Length)
        {
            int at = text.IndexOf(name, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                break;
            }

            if (!IsNameChar(text, at - 1) && !IsNameChar(text, at + name.Length))
            {
                found.Add(at);
            }

            from = at + 1;
        }

        return found;
    }

    public static bool Contains(string text, string name) => Find(text, name).Count > 0;

    // The characters a user name may hold (PROTOCOL.md: letters, digits, marks, '_', '-', '.'), except a final
    // '.', which ends sentences: "thanks, alice." is a mention.
    private static bool IsNameChar(string text, int index)
    {
        if (index < 0 || index >= text.Length)
        {
            return false;
        }

        char c = text[index];
        return char.IsLetterOrDigit(c) || c is '_' or '-' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark
            || (c == '.' && index + 1 < text.Length && char.IsLetterOrDigit(text[index + 1]));
    }
}
