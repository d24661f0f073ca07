using System.Globalization;
using System.Text;
using LanTalk.Core.Client;

namespace LanTalk.Client.Archive;

/// <summary>
/// One archive line per message, readable and greppable:
/// <c>2026-11-24T14:03:12Z PUB alice: text</c> or <c>2026-11-24T14:03:12Z PRIV alice -> bob: text</c>.
/// Newlines and other control characters in the text are escaped, so a line is always one message.
/// </summary>
internal static class ArchiveFormat
{
    public static string Line(ChatMessage message)
    {
        string time = message.ServerTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return message.To is null
            ? $"{time} PUB {Escape(message.From)}: {Escape(message.Text)}"
            : $"{time} PRIV {Escape(message.From)} -> {Escape(message.To)}: {Escape(message.Text)}";
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
