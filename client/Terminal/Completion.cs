using LanTalk.Core.Terminal;

namespace LanTalk.Client.Terminal;

/// <summary>
/// The chat's Tab completion: command names after a leading '/', online user names after /msg (and /invite,
/// /kick, /who), room names after /join, /go, /part and /delete, and a user name as the first word of a line, which becomes
/// <c>alice: </c> (irssi's way of addressing someone).
/// </summary>
internal static class Completion
{
    private static readonly string[] NameCommands = ["/msg ", "/m ", "/w ", "/tell ", "/invite ", "/kick ", "/who ", "/whois "];

    private static readonly string[] RoomCommands = ["/join ", "/j ", "/go ", "/g ", "/part ", "/leave ", "/delete "];

    private const string AddressSuffix = ":";

    public static CompletionResult Complete(string buffer, int cursor, IReadOnlyList<string> commands, IReadOnlyList<string> names, IReadOnlyList<string>? rooms = null)
    {
        string head = buffer[..cursor];
        if (head.StartsWith('/') && !head.Contains(' ', StringComparison.Ordinal))
        {
            return WordCompletion.Complete(buffer, cursor, 0, WordCompletion.WordEnd(buffer, 0), commands);
        }

        if (FirstArgument(buffer, NameCommands) is { } nameStart)
        {
            return CompleteArgument(buffer, cursor, nameStart, names);
        }

        if (FirstArgument(buffer, RoomCommands) is { } roomStart)
        {
            // Typed with or without '#': the candidates take the same form, so "#de" completes to "#dev".
            bool hash = roomStart < buffer.Length && buffer[roomStart] == '#';
            IReadOnlyList<string> candidates = [.. (rooms ?? []).Select(r => hash ? "#" + r : r)];
            return CompleteArgument(buffer, cursor, roomStart, candidates);
        }

        // The first word of a message: the person it is addressed to.
        if (head.Length > 0 && !head.StartsWith('/') && !head.Contains(' ', StringComparison.Ordinal))
        {
            return WordCompletion.Complete(buffer, cursor, 0, WordCompletion.WordEnd(buffer, 0), names, AddressSuffix);
        }

        return CompletionResult.Unchanged(buffer, cursor);
    }

    /// <summary>Where the first argument starts when the line begins with one of <paramref name="commands"/>; null otherwise.</summary>
    private static int? FirstArgument(string buffer, string[] commands)
    {
        foreach (string command in commands)
        {
            if (buffer.StartsWith(command, StringComparison.OrdinalIgnoreCase))
            {
                int start = command.Length;
                while (start < buffer.Length && buffer[start] == ' ')
                {
                    start++;
                }

                return start;
            }
        }

        return null;
    }

    private static CompletionResult CompleteArgument(string buffer, int cursor, int start, IReadOnlyList<string> options)
    {
        int end = WordCompletion.WordEnd(buffer, start);
        return cursor >= start && cursor <= end
            ? WordCompletion.Complete(buffer, cursor, start, end, options)
            : CompletionResult.Unchanged(buffer, cursor);
    }
}
