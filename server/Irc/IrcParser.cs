using System.Text;

namespace LanTalk.Server.Irc;

/// <summary>
/// Parses one IRC line (its CR LF already removed) into an <see cref="IrcMessage"/>: RFC 1459/2812 with IRCv3
/// message-tags. It reads untrusted bytes, so it never throws: every problem is an <see cref="IrcParseError"/>.
/// </summary>
/// <remarks>
/// Grammar: <c>['@' tags SPACE] [':' source SPACE] command {SPACE param} [SPACE ':' trailing]</c>. Bytes are
/// decoded as UTF-8 with replacement characters, so a Latin-1 client still gets through, only with '?' marks.
/// </remarks>
internal static class IrcParser
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // The commands a chatting client sends per message or per minute: matched in place and returned as these very
    // strings, so the hot lines allocate no command string (others are decoded and upper-cased as before).
    private static readonly string[] s_frequent = ["PRIVMSG", "NOTICE", "PING", "PONG", "TAGMSG", "JOIN", "PART", "WHO", "MODE", "AWAY"];

    public static IrcParseError TryParse(ReadOnlySpan<byte> line, out IrcMessage? message)
    {
        message = null;
        if (line.IndexOf((byte)0) >= 0)
        {
            return IrcParseError.Malformed;
        }

        // Null when the line has none (most lines): they all share one empty list.
        List<IrcTag>? tags = null;
        if (!line.IsEmpty && line[0] == (byte)'@')
        {
            int end = line.IndexOf((byte)' ');
            // The limit counts the '@' and the space that ends the tags. A line from a client: the client's share.
            if (end < 0 ? line.Length + 1 > IrcLimits.MaxClientTagBytes : end + 1 > IrcLimits.MaxClientTagBytes)
            {
                return IrcParseError.TagsTooLong;
            }

            if (end < 0)
            {
                return IrcParseError.Malformed;
            }

            var parsed = ParseTags(line[1..end], out var problem);
            if (problem != IrcParseError.None)
            {
                return problem;
            }

            tags = parsed!;
            line = line[(end + 1)..];
        }

        // RFC 1459 counts the CR LF in its 512 bytes.
        if (line.Length + 2 > IrcLimits.MaxLineBytes)
        {
            return IrcParseError.LineTooLong;
        }

        line = TrimLeadingSpaces(line);
        if (line.IsEmpty)
        {
            return tags is not { Count: > 0 } ? IrcParseError.Empty : IrcParseError.Malformed;
        }

        string? source = null;
        if (line[0] == (byte)':')
        {
            int end = line.IndexOf((byte)' ');
            if (end <= 1)
            {
                return IrcParseError.Malformed;
            }

            source = s_utf8.GetString(line[1..end]);
            line = TrimLeadingSpaces(line[end..]);
        }

        int commandEnd = line.IndexOf((byte)' ');
        var command = commandEnd < 0 ? line : line[..commandEnd];
        if (!IsCommand(command))
        {
            return IrcParseError.Malformed;
        }

        var parameters = new List<string>();
        var rest = commandEnd < 0 ? [] : line[commandEnd..];
        while (true)
        {
            rest = TrimLeadingSpaces(rest);
            if (rest.IsEmpty)
            {
                break;
            }

            if (parameters.Count == IrcLimits.MaxParams)
            {
                // Refused, not folded into the last parameter (see IrcLimits.MaxParams), but with the command read, so
                // the 461 can name it: "461 alice * :..." told a client nothing about which line it was (an IRC
                // audit, 2026-12-07). The message holds the first 15 parameters, and is not to be run.
                message = new IrcMessage((IReadOnlyList<IrcTag>?)tags ?? [], source, CommandName(command), parameters);
                return IrcParseError.TooManyParams;
            }

            if (rest[0] == (byte)':')
            {
                parameters.Add(s_utf8.GetString(rest[1..]));
                break;
            }

            int end = rest.IndexOf((byte)' ');
            parameters.Add(s_utf8.GetString(end < 0 ? rest : rest[..end]));
            rest = end < 0 ? [] : rest[end..];
        }

        message = new IrcMessage((IReadOnlyList<IrcTag>?)tags ?? [], source, CommandName(command), parameters)
        {
            InvalidUtf8 = !System.Text.Unicode.Utf8.IsValid(line),
        };
        return IrcParseError.None;
    }

    /// <summary>The command in upper case; a frequent one as its shared string.</summary>
    private static string CommandName(ReadOnlySpan<byte> command)
    {
        foreach (string known in s_frequent)
        {
            if (Ascii.EqualsIgnoreCase(command, known))
            {
                return known;
            }
        }

        return Encoding.ASCII.GetString(command).ToUpperInvariant();
    }

    /// <summary>
    /// A command is a letter followed by letters, digits and underscores, or exactly three digits (a numeric). A token
    /// like <c>NONEXISTENT_COMMAND</c> is a command this server does not know (421, labeled like any answer), not a
    /// malformed line (irctest labeled_responses testUnknownCommand).
    /// </summary>
    private static bool IsCommand(ReadOnlySpan<byte> command)
    {
        if (command.IsEmpty || command.Length > 32)
        {
            return false;
        }

        if (command.Length == 3 && char.IsAsciiDigit((char)command[0]) && char.IsAsciiDigit((char)command[1]) && char.IsAsciiDigit((char)command[2]))
        {
            return true;
        }

        if (!char.IsAsciiLetter((char)command[0]))
        {
            return false;
        }

        foreach (byte b in command)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b != (byte)'_')
            {
                return false;
            }
        }

        return true;
    }

    private static List<IrcTag>? ParseTags(ReadOnlySpan<byte> raw, out IrcParseError problem)
    {
        problem = IrcParseError.None;
        var tags = new List<IrcTag>();
        foreach (var range in raw.Split((byte)';'))
        {
            var item = raw[range];
            if (item.IsEmpty)
            {
                continue;
            }

            if (tags.Count == IrcLimits.MaxTags)
            {
                problem = IrcParseError.TagsTooLong;
                return null;
            }

            int eq = item.IndexOf((byte)'=');
            var key = eq < 0 ? item : item[..eq];
            if (key.IsEmpty || key.IndexOfAny((byte)' ', (byte)'\r', (byte)'\n') >= 0)
            {
                problem = IrcParseError.Malformed;
                return null;
            }

            tags.Add(new IrcTag(s_utf8.GetString(key), eq < 0 ? string.Empty : Unescape(s_utf8.GetString(item[(eq + 1)..]))));
        }

        return tags;
    }

    /// <summary>IRCv3 tag value escapes: \: ; \s space, \\ backslash, \r, \n; any other \x is x; a lone trailing \ is dropped.</summary>
    internal static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (++i == value.Length)
            {
                break;
            }

            builder.Append(value[i] switch
            {
                ':' => ';',
                's' => ' ',
                'r' => '\r',
                'n' => '\n',
                var other => other,
            });
        }

        return builder.ToString();
    }

    private static ReadOnlySpan<byte> TrimLeadingSpaces(ReadOnlySpan<byte> span) => span.TrimStart((byte)' ');
}
