using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Archive;

/// <summary>
/// One archive line per message, readable and greppable:
/// <c>2026-11-24T14:03:12.345Z PUB alice: text</c> or <c>2026-11-24T14:03:12.345Z PRIV alice -> bob: text</c>; a room
/// message of a v3 server names its room, <c>PUB #dev alice: text</c>, and an action (/me) marks the sender,
/// <c>PUB #dev *alice: waves</c>. Neither '#' nor '*' can start a user name, so the forms never collide.
/// Newlines and other control characters in the text are escaped, so a line is always one message.
/// </summary>
internal static class ArchiveFormat
{
    /// <summary>
    /// Milliseconds, as the server stamps messages: day files are appended in the order lines are seen, and readers
    /// sort by this stamp; in whole seconds a page read back sorted after newer lines of the same second (an audit,
    /// 2026-12-06). Files written before keep whole seconds, and are read as well.
    /// </summary>
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly string[] s_readFormats = [TimeFormat, "yyyy-MM-dd'T'HH:mm:ss'Z'"];

    public static string Line(ChatMessage message)
    {
        string time = message.ServerTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        string from = (message.Kind == ChatMessageKind.Action ? "*" : string.Empty) + Escape(message.From);
        string room = message.Room.Length == 0 ? string.Empty : "#" + Escape(message.Room) + " ";
        return message.To is null
            ? $"{time} PUB {room}{from}: {Escape(message.Text)}"
            : $"{time} PRIV {from} -> {Escape(message.To)}: {Escape(message.Text)}";
    }

    /// <summary>
    /// Reads a line written by <see cref="Line"/> back into a message (id and tag 0), so /archive can show it as
    /// the chat does. False for anything else, such as a line damaged by hand editing.
    /// </summary>
    public static bool TryParse(string line, [NotNullWhen(true)] out ChatMessage? message)
    {
        message = null;
        if (!TryParseTime(line, out var time))
        {
            return false;
        }

        string rest = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        bool isPrivate = rest.StartsWith("PRIV ", StringComparison.Ordinal);
        if (!isPrivate && !rest.StartsWith("PUB ", StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[(isPrivate ? 5 : 4)..];
        string? room = null;
        if (!isPrivate && rest.StartsWith('#'))
        {
            int end = rest.IndexOf(' ', StringComparison.Ordinal);
            if (end < 2)
            {
                return false;
            }

            room = Unescape(rest[1..end]);
            rest = rest[(end + 1)..];
        }

        bool action = rest.StartsWith('*');
        if (action)
        {
            rest = rest[1..];
        }

        // User names hold no ':' or spaces (PROTOCOL.md), so the first ": " ends the names.
        int colon = rest.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        string names = rest[..colon];
        string? to = null;
        string from = names;
        if (isPrivate)
        {
            int arrow = names.IndexOf(" -> ", StringComparison.Ordinal);
            if (arrow <= 0)
            {
                return false;
            }

            from = names[..arrow];
            to = Unescape(names[(arrow + 4)..]);
        }

        message = new ChatMessage(0, time, Unescape(from), to, 0, Unescape(rest[(colon + 2)..])) { Room = room ?? string.Empty, Kind = action ? ChatMessageKind.Action : ChatMessageKind.Text };
        return true;
    }

    /// <summary>The time stamp that starts a line, in milliseconds or (lines of older clients) whole seconds.</summary>
    public static bool TryParseTime(string line, out DateTimeOffset time) => TryParseTime(line.AsSpan(), out time);

    /// <summary>As above, for a line that lies inside a larger text (<see cref="DayText"/>).</summary>
    public static bool TryParseTime(ReadOnlySpan<char> line, out DateTimeOffset time)
    {
        time = default;
        int space = line.IndexOf(' ');
        return space > 0 && DateTimeOffset.TryParseExact(line[..space], s_readFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>The inverse of <see cref="Escape"/>.</summary>
    public static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\' || i + 1 == text.Length)
            {
                builder.Append(c);
                continue;
            }

            char next = text[++i];
            switch (next)
            {
                case 'n':
                    builder.Append('\n');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'x' when i + 2 < text.Length && int.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value):
                    builder.Append((char)value);
                    i += 2;
                    break;
                default:
                    builder.Append(next);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>The day file a message belongs to: its UTC date, matching the timestamps inside.</summary>
    public static string DayFileName(DateTimeOffset serverTime) =>
        serverTime.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".log";

    /// <summary>\ becomes \\, newline \n, CR \r, tab \t, other control characters \xHH or \uHHHH.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(c => c == '\\' || char.IsControl(c)))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                case < '\u0100' when char.IsControl(c):
                    builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
