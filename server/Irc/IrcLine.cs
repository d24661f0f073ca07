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
    /// <summary>An event line (JOIN, PART, QUIT, MODE...): with a <c>time</c> tag of now when <paramref name="timed"/> (server-time).</summary>
    public static byte[] BuildEvent(bool timed, string source, string command, params ReadOnlySpan<string> parameters) =>
        Build(timed ? Time(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) : null, source, command, parameters);

    // <tags> :<source> <command> <params...> :<trailing>
    public static byte[] Build(string? tags, string? source, string command, params ReadOnlySpan<string> parameters)
    {
        string[] values = Values(parameters);
        string built = Assemble(tags, source, command, values);
        int tagBytes = string.IsNullOrEmpty(tags) ? 0 : Encoding.UTF8.GetByteCount(tags) + 2;
        int over = Encoding.UTF8.GetByteCount(built) - tagBytes - IrcLimits.MaxLineBytes;
        if (over > 0 && values.Length > 0)
        {
            FitParameters(command, values, over);
            built = Assemble(tags, source, command, values);
        }

        return Encoding.UTF8.GetBytes(built);
    }

    /// <summary>
    /// The UTF-8 bytes a line built by <see cref="Build"/> from <paramref name="source"/>, <paramref name="command"/>
    /// and <paramref name="middle"/> parameters spends around a trailing parameter: everything but the trailing text
    /// itself, its " :" included, CR LF and tags not. A caller that packs text into that trailing parameter has
    /// 512 − 2 − this many bytes for it. Counted on the line as written, because names are UTF-8: a sender, room or
    /// nick of non-ASCII letters takes two to four bytes a character, and a budget counted in characters let lines
    /// pass 512 bytes, where Build cut them and the text at the cuts was lost (an outside audit, 2026-12-06).
    /// </summary>
    public static int BytesAround(string? source, string command, params ReadOnlySpan<string> middle)
    {
        var all = new string[middle.Length + 1];
        middle.CopyTo(all);
        all[^1] = string.Empty;
        return Encoding.UTF8.GetByteCount(Assemble(null, source, command, Values(all))) - 2;
    }

    /// <summary>The parameters as they are written: cleaned of line breaks, a middle one made a single word.</summary>
    private static string[] Values(ReadOnlySpan<string> parameters)
    {
        var values = new string[parameters.Length];
        for (int i = 0; i < values.Length; i++)
        {
            string value = Clean(parameters[i]);
            if (i < values.Length - 1 && (value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) || value[0] == ':'))
            {
                // A middle parameter cannot hold a space; only our own code builds these, so this is a bug guard.
                value = value.Length == 0 ? "*" : value.Replace(' ', '_').TrimStart(':');
            }

            values[i] = value;
        }

        return values;
    }

    /// <summary>
    /// Cuts parameters until the line loses <paramref name="over"/> bytes: past 512 bytes with CR LF (RFC 2812 2.3).
    /// The one place every outgoing line passes, so no reply can exceed it whatever it echoes. A relayed line
    /// (PRIVMSG, QUIT, PART...) loses the end of its text, which its longer prefix pushed over (a QUIT of 504 bytes
    /// went out as 593); a numeric loses the end of its longest parameter, which is the client's own over-long
    /// channel name or nick it echoes (403, 479, 366, 432... reached 525 bytes; an IRC audit, 2026-12-06), rather
    /// than its short text. A middle parameter keeps at least one character; cuts fall between characters.
    /// Messages rarely get here: IrcLine.Split sizes their lines with the prefix counted.
    /// </summary>
    private static void FitParameters(string command, string[] values, int over)
    {
        bool numeric = command.Length == 3 && char.IsAsciiDigit(command[0]) && char.IsAsciiDigit(command[1]) && char.IsAsciiDigit(command[2]);
        while (over > 0)
        {
            int last = values.Length - 1;
            int pick = -1;
            int pickBytes = 0;
            if (!numeric && values[last].Length > 0)
            {
                pick = last;
                pickBytes = Encoding.UTF8.GetByteCount(values[last]);
            }
            else
            {
                for (int i = 0; i < values.Length; i++)
                {
                    int bytes = Encoding.UTF8.GetByteCount(values[i]);
                    bool reducible = i == last ? bytes > 0 : values[i].EnumerateRunes().Skip(1).Any();
                    if (reducible && bytes > pickBytes)
                    {
                        pick = i;
                        pickBytes = bytes;
                    }
                }
            }

            if (pick < 0)
            {
                return;
            }

            string cut = CutToBytes(values[pick], Math.Max(0, pickBytes - over));
            if (pick < last && cut.Length == 0)
            {
                cut = values[pick].EnumerateRunes().First().ToString();
            }

            over -= pickBytes - Encoding.UTF8.GetByteCount(cut);
            values[pick] = cut;
        }
    }

    private static string Assemble(string? tags, string? source, string command, string[] values)
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
        for (int i = 0; i < values.Length; i++)
        {
            string value = values[i];
            builder.Append(' ');
            if (i == values.Length - 1 && ((i > 0 && command is "PRIVMSG" or "NOTICE" or "PART" or "QUIT" or "KICK" or "TOPIC" or "AWAY" or "ERROR") || value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) || value[0] == ':'))
            {
                builder.Append(':');
            }

            builder.Append(value);
        }

        return builder.Append("\r\n").ToString();
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
    /// Splits message text into pieces that fit one line each after <paramref name="overhead"/> UTF-8 bytes of prefix,
    /// command, target and whatever else the line spends besides the piece and its CR LF (<see cref="BytesAround"/>):
    /// a ChatSocket message may be far longer than IRC's 512 bytes, and may hold line breaks.
    /// Cuts fall after a space near the end of a line, else on UTF-8 character boundaries. Blank lines are dropped,
    /// but a text with nothing else (ChatSocket allows an empty message) is one empty line: without it IRC users never
    /// saw the message, its msgid was missing from CHATHISTORY, and an IRC sender's echo-message acknowledgement never
    /// came.
    /// </summary>
    public static IEnumerable<string> Split(string text, int overhead)
    {
        // Names are at most 128 UTF-8 bytes, so a message line spends at most about 420 bytes around its text; the
        // floor only keeps the loop below from spinning on a budget too small for one character.
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

                end = AtWordBreak(line, start, end);
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

    /// <summary>
    /// Moves a cut that would fall inside a word back to just after the last space of the piece, as IRC clients split
    /// what their users type, so no word is broken over two lines. The space stays at the end of the first piece, so
    /// the pieces joined still give the text back. A piece is never shortened below half its length: a text with one
    /// very long word (a URL, a hash) is cut between characters instead of leaving a stub line before it.
    /// </summary>
    private static int AtWordBreak(string line, int start, int end)
    {
        if (end >= line.Length)
        {
            return end;
        }

        int space = line.LastIndexOf(' ', end - 1, end - start);
        return space >= start + (end - start) / 2 ? space + 1 : end;
    }
}
