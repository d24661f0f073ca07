namespace LanTalk.Server.Rooms;

/// <summary>
/// What a topic (and an away text, cleaned the same way) may hold. A topic is one line, kept in Rooms.xml, and XML 1.0 cannot hold most control characters at
/// all: a topic with ESC in it was taken, broadcast, and then crashed the server at the next save of the rooms file
/// (any member of the default room could do it). So line breaks become spaces and the characters XML cannot hold
/// become U+FFFD before the length check, the broadcast and the save (docs/PROTOCOL.md, SetTopic).
/// </summary>
internal static class TopicText
{
    public static string Clean(string topic)
    {
        if (topic.AsSpan().IndexOfAnyExceptInRange('\u0020', '\uFFFD') < 0)
        {
            return topic;
        }

        return string.Create(topic.Length, topic, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = c is '\r' or '\n' ? ' ' : IsXmlChar(c) ? c : '\uFFFD';
            }
        });
    }

    /// <summary>XML 1.0's Char production for one UTF-16 unit: TAB, LF, CR, U+0020-U+D7FF, surrogates (pairs come from valid UTF-8), U+E000-U+FFFD.</summary>
    private static bool IsXmlChar(char c) => c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uFFFD');
}
