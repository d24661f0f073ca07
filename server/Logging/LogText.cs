using System.Globalization;
using System.Text;
using NLog;

namespace LanTalk.Server.Logging;

/// <summary>
/// Keeps text from outside (login names, QUIT reasons, client names, file contents quoted by an exception) from
/// shaping the log: every control character (C0, DEL, C1), the Unicode line and paragraph separators and the bidi
/// overrides are written as escapes (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\u001B</c>). A login name with a newline
/// wrote whole forged ERROR lines into the log file, journald and the console, before any login; an IRC QUIT reason
/// with ESC[2J cleared the operator's screen (an ops audit, 2026-12-06). Escapes rather than replacements, so the log
/// still shows what was sent.
/// </summary>
/// <remarks>
/// It is done where NLog renders a value into any layout of any NLog.config, the operator's own included: the value
/// formatter every message parameter goes through (<see cref="CleanValueFormatter"/>), and the renderers that show
/// values past it: <c>${exception}</c>, <c>${event-properties}</c> and <c>${all-event-properties}</c>, registered
/// under NLog's own names. A message's template is the server's own text and is left
/// as it is; a message built from outside text passes that text as a parameter.
/// </remarks>
public static class LogText
{
    private static int s_installed;

    /// <summary>Puts the cleaning into NLog; call before a configuration is loaded. Idempotent.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            LogManager.Setup()
                .SetupSerialization(s => s.RegisterValueFormatter(new CleanValueFormatter(
                    (IValueFormatter)s.LogFactory.ServiceRepository.GetService(typeof(IValueFormatter)))))
                .SetupExtensions(e => e
                    .RegisterLayoutRenderer(() => new CleanExceptionLayoutRenderer(), CleanExceptionLayoutRenderer.Name)
                    .RegisterLayoutRenderer(() => new CleanEventPropertiesLayoutRenderer(), CleanEventPropertiesLayoutRenderer.Name)
                    .RegisterLayoutRenderer(() => new CleanAllEventPropertiesLayoutRenderer(), CleanAllEventPropertiesLayoutRenderer.Name));
        }
    }

    /// <summary><paramref name="text"/> with every character that could break or disguise a log line escaped.</summary>
    public static string Escape(string text)
    {
        if (FirstUnsafe(text, 0, keepIndentedLineBreaks: false) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text);
        EscapeFrom(builder, 0, keepIndentedLineBreaks: false);
        return builder.ToString();
    }

    /// <summary>
    /// Escapes, in place, what was appended to <paramref name="builder"/> from <paramref name="start"/> on. With
    /// <paramref name="keepIndentedLineBreaks"/> a line break followed by a space or a tab stays: that is how .NET
    /// writes a stack trace ("\n   at ..."), and such a line cannot pass for a log line, which starts with the date.
    /// </summary>
    public static void EscapeFrom(StringBuilder builder, int start, bool keepIndentedLineBreaks)
    {
        string appended = builder.ToString(start, builder.Length - start);
        int first = FirstUnsafe(appended, 0, keepIndentedLineBreaks);
        if (first < 0)
        {
            return;
        }

        builder.Length = start + first;
        for (int i = first; i < appended.Length; i++)
        {
            char c = appended[i];
            if (!IsUnsafe(appended, i, keepIndentedLineBreaks))
            {
                builder.Append(c);
            }
            else if (c == '\n')
            {
                builder.Append("\\n");
            }
            else if (c == '\r')
            {
                builder.Append("\\r");
            }
            else if (c == '\t')
            {
                builder.Append("\\t");
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }
    }

    private static int FirstUnsafe(string text, int from, bool keepIndentedLineBreaks)
    {
        for (int i = from; i < text.Length; i++)
        {
            if (IsUnsafe(text, i, keepIndentedLineBreaks))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(string text, int i, bool keepIndentedLineBreaks)
    {
        char c = text[i];
        if (keepIndentedLineBreaks && IsIndentedLineBreak(text, i))
        {
            return false;
        }

        // C0 and TAB (a log line is split on tabs by some readers), DEL and C1 (U+009B is a one-character CSI to some
        // terminals), LINE and PARAGRAPH SEPARATOR (a line break to some viewers), and the bidi marks, embeddings,
        // overrides and isolates, which make a line read differently from what it holds.
        return c < '\u0020' || (c >= '\u007F' && c <= '\u009F') || c is '\u2028' or '\u2029' or '\u061C' or '\u200E' or '\u200F'
            || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    // "\n" or "\r\n" (Windows) followed by indentation.
    private static bool IsIndentedLineBreak(string text, int i)
    {
        int next = text[i] switch
        {
            '\n' => i + 1,
            '\r' when i + 1 < text.Length && text[i + 1] == '\n' => i + 2,
            _ => -1,
        };
        return next > 0 && next < text.Length && text[next] is ' ' or '\t';
    }
}
