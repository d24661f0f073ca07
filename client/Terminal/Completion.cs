namespace LanTalk.Client.Terminal;

/// <summary>The edited line after Tab, and the choices to show when Tab could not decide.</summary>
internal sealed record CompletionResult(string Buffer, int Cursor, IReadOnlyList<string> Candidates)
{
    public static CompletionResult Unchanged(string buffer, int cursor) => new(buffer, cursor, []);
}

/// <summary>
/// Tab completion: command names after a leading '/', online user names after /msg, and a user name as the
/// first word of a line, which becomes <c>alice: </c> (irssi's way of addressing someone). One match completes
/// (with a trailing space); several complete their common prefix, and list themselves when there is none.
/// </summary>
internal static class Completion
{
    private static readonly string[] PrivateCommands = ["/msg ", "/m ", "/w ", "/tell "];

    public static CompletionResult Complete(string buffer, int cursor, IReadOnlyList<string> commands, IReadOnlyList<string> names)
    {
        string head = buffer[..cursor];
        if (head.StartsWith('/') && !head.Contains(' ', StringComparison.Ordinal))
        {
            return Replace(buffer, cursor, 0, TokenEnd(buffer, 0), commands);
        }

        foreach (string command in PrivateCommands)
        {
            if (!buffer.StartsWith(command, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            int start = command.Length;
            while (start < buffer.Length && buffer[start] == ' ')
            {
                start++;
            }

            int end = TokenEnd(buffer, start);
            return cursor >= start && cursor <= end
                ? Replace(buffer, cursor, start, end, names)
                : CompletionResult.Unchanged(buffer, cursor);
        }

        // The first word of a message: the person it is addressed to.
        if (head.Length > 0 && !head.StartsWith('/') && !head.Contains(' ', StringComparison.Ordinal))
        {
            return Replace(buffer, cursor, 0, TokenEnd(buffer, 0), names, AddressSuffix);
        }

        return CompletionResult.Unchanged(buffer, cursor);
    }

    private const string AddressSuffix = ":";

    private static int TokenEnd(string buffer, int start)
    {
        int space = buffer.IndexOf(' ', start);
        return space < 0 ? buffer.Length : space;
    }

    private static CompletionResult Replace(string buffer, int cursor, int start, int end, IReadOnlyList<string> options, string suffix = "")
    {
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
            string insert = end == buffer.Length ? matches[0] + suffix + " " : matches[0] + suffix;
            string completed = buffer[..start] + insert + buffer[end..];
            int position = start + insert.Length + (end == buffer.Length ? 0 : 1);
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
