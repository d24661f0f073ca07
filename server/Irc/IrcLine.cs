using System.Globalization;
using System.Text;

namespace LanTalk.Server.Irc;

/// <summary>
/// Builds outgoing IRC lines as UTF-8 bytes with CR LF. Every parameter is cleaned of CR, LF and NUL, so text
/// that came from a ChatSocket user can never inject a second line; the last parameter is sent as a trailing one
/// when it needs to be, and always for message text (some clients expect that).
/// </summary>
internal static class IrcLine
{
    // <tags> :<source> <command> <params...> :<trailing>
    public static byte[] Build(string? tags, string? source, string command, params ReadOnlySpan<string> parameters)
    {
        var builder = new StringBuilder(64);
        if (!string.IsNullOrEmpty(tags))
        {
            builder.Append('@').Append(tags).Append(' ');
        }

        if (source is not null)
        {
            builder.Append(':').Append(source).Append(' ');
        }

        builder.Append(command);
        for (int i = 0; i < parameters.Length; i++)
        {
            string value = Clean(parameters[i]);
            builder.Append(' ');
            bool last = i == parameters.Length - 1;
            if (last && ((i > 0 && command is "PRIVMSG" or "NOTICE" or "PART" or "QUIT" or "KICK" or "TOPIC" or "AWAY" or "ERROR") || value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) || value[0] == ':'))
            {
                builder.Append(':');
            }
            else if (!last && (value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) || value[0] == ':'))
            {
                // A middle parameter cannot hold a space; only our own code builds these, so this is a bug guard.
                value = value.Length == 0 ? "*" : value.Replace(' ', '_').TrimStart(':');
            }

            builder.Append(value);
        }

        builder.Append("\r\n");
        string built = builder.ToString();
        int tagBytes = string.IsNullOrEmpty(tags) ? 0 : Encoding.UTF8.GetByteCount(tags) + 2;
        int over = Encoding.UTF8.GetByteCount(built) - tagBytes - IrcLimits.MaxLineBytes;
        if (over <= 0 || parameters.Length == 0)
        {
            return Encoding.UTF8.GetBytes(built);
        }

        // Past 512 bytes with CR LF (RFC 2812 2.3), which a relayed reason reaches once our longer prefix is added (a
        // QUIT of 504 bytes went out as 593): the last parameter is cut to fit, at a character boundary, and a CTCP
        // keeps its closing \x01. Messages never get here: IrcLine.Split sizes their lines with the prefix counted.
        string trailing = Clean(parameters[^1]);
        string cut = CutToBytes(trailing, Math.Max(0, Encoding.UTF8.GetByteCount(trailing) - over));
        return Encoding.UTF8.GetBytes(built[..(built.Length - 2 - trailing.Length)] + cut + "\r\n");
    }

    /// <summary>The longest start of <paramref name="value"/> of at most <paramref name="maxBytes"/> UTF-8 bytes (a CTCP's closing \x01 kept).</summary>
    private static string CutToBytes(string value, int maxBytes)
    {
        bool ctcp = value.Length > 1 && value[0] == '\u0001' && value[^1] == '\u0001';
        int budget = ctcp ? maxBytes - 1 : maxBytes;
        int used = 0;
        int end = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (ctcp && end == value.Length - 1)
            {
                break;
            }

            if (used + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            used += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return ctcp ? value[..end] + "\u0001" : value[..end];
    }

    /// <summary>The server-time tag value for <paramref name="unixMs"/>: ISO 8601 UTC with milliseconds.</summary>
    public static string Time(long unixMs) =>
        "time=" + LanTalk.Core.Protocol.UnixMilliseconds.ToTime(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Escapes a tag value (IRCv3 message-tags).</summary>
    public static string EscapeTag(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\:", StringComparison.Ordinal)
        .Replace(" ", "\\s", StringComparison.Ordinal)
        .Replace("\r", "\\r", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Clean(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0 ? value : value.Replace('\r', ' ').Replace('\n', ' ').Replace('\0', ' ');

    /// <summary>The longest start of <paramref name="text"/> of at most <paramref name="maxBytes"/> UTF-8 bytes, cut between characters.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        int bytes = 0;
        int end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return text[..end];
    }

    /// <summary>
    /// Splits message text into pieces that fit one line each after <paramref name="overhead"/> bytes of prefix,
    /// command and target: a ChatSocket message may be far longer than IRC's 512 bytes, and may hold line breaks.
    /// Cuts fall on UTF-8 character boundaries. Blank lines are dropped, but a text with nothing else (ChatSocket
    /// allows an empty message) is one empty line: without it IRC users never saw the message, its msgid was missing
    /// from CHATHISTORY, and an IRC sender's echo-message acknowledgement never came.
    /// </summary>
    public static IEnumerable<string> Split(string text, int overhead)
    {
        int budget = Math.Max(16, IrcLimits.MaxLineBytes - 2 - overhead);
        if (text.Length > 0 && text.Length <= budget && text.AsSpan().IndexOfAny('\r', '\n') < 0 && Encoding.UTF8.GetByteCount(text) <= budget)
        {
            // The usual message: one line that fits. Measured once instead of character by character, and not copied
            // (this ran once per message of a fan-out, and was 4 % of the IRC port's CPU in burst-32).
            yield return text;
            yield break;
        }

        bool any = false;
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            int start = 0;
            while (start < line.Length)
            {
                int bytes = 0;
                int end = start;
                while (end < line.Length)
                {
                    int width = char.IsHighSurrogate(line[end]) && end + 1 < line.Length ? 2 : 1;
                    int size = Encoding.UTF8.GetByteCount(line.AsSpan(end, width));
                    if (bytes + size > budget)
                    {
                        break;
                    }

                    bytes += size;
                    end += width;
                }

                yield return line[start..end];
                any = true;
                start = end;
            }
        }

        if (!any)
        {
            yield return string.Empty;
        }
    }
}
