namespace LanTalk.Core.Terminal;

/// <summary>
/// Completing one word of a line from a list, the way both the chat client and the operator console do it: one
/// match completes (with a trailing space); several complete their common prefix, and list themselves when there
/// is none. Matching ignores case; the list's spelling wins.
/// </summary>
public static class WordCompletion
{
    /// <summary>Where the word starting at <paramref name="start"/> ends: the next space, or the end of the line.</summary>
    public static int WordEnd(string buffer, int start)
    {
        int space = buffer.IndexOf(' ', start);
        return space < 0 ? buffer.Length : space;
    }

    /// <summary>
    /// Completes <c>buffer[start..cursor]</c>, the word from <paramref name="start"/> to <paramref name="end"/>,
    /// from <paramref name="options"/>. <paramref name="suffix"/> follows a unique match (irssi's "alice:").
    /// </summary>
    public static CompletionResult Complete(string buffer, int cursor, int start, int end, IReadOnlyList<string> options, string suffix = "")
    {
        // Tab inside a word completes what is before the cursor and keeps what is after it, as readline does: "ca|nyou
        // check?" lost its "nyou" (a UX audit, 2026-12-05).
        end = Math.Min(end, cursor);
        string prefix = buffer[start..cursor];
        var matches = options
            .Where(o => o.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (matches.Count == 0)
        {
            return CompletionResult.Unchanged(buffer, cursor);
        }

        if (matches.Count == 1)
        {
            // Only add a space when none follows, so completing inside "/msg bo hi" does not double it.
            bool spaceFollows = end < buffer.Length && buffer[end] == ' ';
            string insert = spaceFollows ? matches[0] + suffix : matches[0] + suffix + " ";
            string completed = buffer[..start] + insert + buffer[end..];
            int position = start + insert.Length + (spaceFollows ? 1 : 0);
            return new CompletionResult(completed, Math.Min(position, completed.Length), []);
        }

        string common = CommonPrefix(matches);
        if (common.Length > prefix.Length)
        {
            string completed = buffer[..start] + common + buffer[end..];
            return new CompletionResult(completed, start + common.Length, []);
        }

        return new CompletionResult(buffer, cursor, matches);
    }

    private static string CommonPrefix(List<string> values)
    {
        string first = values[0];
        int length = first.Length;
        foreach (string value in values.Skip(1))
        {
            int i = 0;
            while (i < length && i < value.Length && char.ToLowerInvariant(value[i]) == char.ToLowerInvariant(first[i]))
            {
                i++;
            }

            length = i;
        }

        return first[..length];
    }
}
