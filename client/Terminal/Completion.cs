using LanTalk.Core.Terminal;

namespace LanTalk.Client.Terminal;

/// <summary>
/// The chat's Tab completion: command names after a leading '/', online user names after /msg, and a user name
/// as the first word of a line, which becomes <c>alice: </c> (irssi's way of addressing someone).
/// </summary>
internal static class Completion
{
    private static readonly string[] PrivateCommands = ["/msg ", "/m ", "/w ", "/tell "];

    private const string AddressSuffix = ":";

    public static CompletionResult Complete(string buffer, int cursor, IReadOnlyList<string> commands, IReadOnlyList<string> names)
    {
        string head = buffer[..cursor];
        if (head.StartsWith('/') && !head.Contains(' ', StringComparison.Ordinal))
        {
            return WordCompletion.Complete(buffer, cursor, 0, WordCompletion.WordEnd(buffer, 0), commands);
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

            int end = WordCompletion.WordEnd(buffer, start);
            return cursor >= start && cursor <= end
                ? WordCompletion.Complete(buffer, cursor, start, end, names)
                : CompletionResult.Unchanged(buffer, cursor);
        }

        // The first word of a message: the person it is addressed to.
        if (head.Length > 0 && !head.StartsWith('/') && !head.Contains(' ', StringComparison.Ordinal))
        {
            return WordCompletion.Complete(buffer, cursor, 0, WordCompletion.WordEnd(buffer, 0), names, AddressSuffix);
        }

        return CompletionResult.Unchanged(buffer, cursor);
    }
}
