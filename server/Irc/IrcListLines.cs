using System.Text;

namespace LanTalk.Server.Irc;

/// <summary>
/// A list too long for one IRC line (NAMES' 353, WHOIS' 319, MONITOR's 730-732) split over several, each holding about
/// 400 bytes of items: with the prefix, the numeric and the nick the line stays within the 512 bytes strict clients
/// keep (RFC 2812 2.3).
/// </summary>
internal static class IrcListLines
{
    private const int MaxBytes = 400;

    /// <summary>The items joined by <paramref name="separator"/>, in order; an item longer than a line is a line alone.</summary>
    public static IEnumerable<string> Pack(IEnumerable<string> items, char separator)
    {
        var line = new StringBuilder();
        int bytes = 0;
        foreach (string item in items)
        {
            int size = Encoding.UTF8.GetByteCount(item) + 1;
            if (line.Length > 0 && bytes + size > MaxBytes)
            {
                yield return line.ToString();
                line.Clear();
                bytes = 0;
            }

            line.Append(line.Length > 0 ? separator.ToString() : string.Empty).Append(item);
            bytes += size;
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }
}
