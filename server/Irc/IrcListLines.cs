using System.Text;

namespace LanTalk.Server.Irc;

/// <summary>
/// A list too long for one IRC line (NAMES' 353, WHOIS' 319, MONITOR's 730-732) split over several, each as full as
/// the 512 bytes strict clients keep allow (RFC 2812 2.3) once the prefix, the numeric, the nick and the channel are
/// counted, in UTF-8 bytes: a fixed 400 bytes of names went over 512 with a long non-ASCII nick and channel, and the
/// line was then cut, names and all.
/// </summary>
internal static class IrcListLines
{
    /// <summary>
    /// The items joined by <paramref name="separator"/>, in order, at most <paramref name="maxBytes"/> UTF-8 bytes a
    /// line; an item longer than that is a line alone.
    /// </summary>
    public static IEnumerable<string> Pack(IEnumerable<string> items, char separator, int maxBytes)
    {
        var line = new StringBuilder();
        int bytes = 0;
        foreach (string item in items)
        {
            int size = Encoding.UTF8.GetByteCount(item);
            int added = line.Length > 0 ? size + 1 : size;
            if (line.Length > 0 && bytes + added > maxBytes)
            {
                yield return line.ToString();
                line.Clear();
                bytes = 0;
                added = size;
            }

            line.Append(line.Length > 0 ? separator.ToString() : string.Empty).Append(item);
            bytes += added;
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }
}
