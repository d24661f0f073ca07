using System.Globalization;
using System.Text;

namespace LanTalk.Server.Rooms;

/// <summary>
/// How Rooms.xml holds a topic with IRC formatting codes in it (bold, colour, reset and the rest, see
/// <see cref="TopicText"/>). XML 1.0 can hold no C0 control but TAB, LF and CR, not even as a character reference, so
/// such a topic is written with <c>escaped="true"</c> on its &lt;Topic&gt;: each control as <c>\xHH</c> and each
/// backslash as <c>\\</c>. A topic without controls is written as it is, and an older file reads the same as before.
/// </summary>
internal static class TopicEscape
{
    /// <summary>The topic as Rooms.xml holds it; <paramref name="escaped"/> when it had to be escaped.</summary>
    public static string ToFile(string topic, out bool escaped)
    {
        escaped = topic.AsSpan().IndexOfAnyInRange('\0', '\u001F') >= 0;
        if (!escaped)
        {
            return topic;
        }

        var file = new StringBuilder(topic.Length + 16);
        foreach (char c in topic)
        {
            if (c == '\\')
            {
                file.Append(@"\\");
            }
            else if (c < ' ')
            {
                file.Append(@"\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                file.Append(c);
            }
        }

        return file.ToString();
    }

    /// <summary>Reads an escaped topic back; null, with what is wrong, for a backslash that starts neither escape.</summary>
    public static string? FromFile(string file, out string problem)
    {
        problem = string.Empty;
        var topic = new StringBuilder(file.Length);
        for (int i = 0; i < file.Length; i++)
        {
            if (file[i] != '\\')
            {
                topic.Append(file[i]);
            }
            else if (i + 1 < file.Length && file[i + 1] == '\\')
            {
                topic.Append('\\');
                i++;
            }
            else if (i + 3 < file.Length && file[i + 1] == 'x'
                && byte.TryParse(file.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte code) && code < 0x20)
            {
                topic.Append((char)code);
                i += 3;
            }
            else
            {
                problem = $"a backslash at character {i + 1} starts neither \\\\ (a backslash) nor \\xHH (a control character, 00-1F)";
                return null;
            }
        }

        return topic.ToString();
    }
}
