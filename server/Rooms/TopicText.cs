namespace LanTalk.Server.Rooms;

/// <summary>
/// What a topic (and an away text, cleaned the same way) may hold: one line, and of the control characters only
/// IRC's formatting codes. A topic is broadcast to every member and kept in Rooms.xml; one with ESC in it was taken,
/// broadcast, and then crashed the server at the next save of the rooms file (any member of the default room could
/// do it). So line breaks become spaces and the other controls U+FFFD, before the length check, the broadcast and the
/// save (docs/PROTOCOL.md, SetTopic). The formatting codes stay: HexChat and mIRC users colour their topics as they do
/// their messages, and replacing the codes turned "\x02bold\x02" into "?bold?" for everyone (an IRC audit, 2026-12-04).
/// Rooms.xml keeps them escaped (<see cref="TopicEscape"/>).
/// </summary>
internal static class TopicText
{
    public static string Clean(string topic)
    {
        if (topic.AsSpan().IndexOfAnyExceptInRange('\u0020', '\uFFFD') < 0 && topic.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') < 0)
        {
            return topic;
        }

        return string.Create(topic.Length, topic, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = c is '\r' or '\n' ? ' ' : IsKept(c) ? c : '\uFFFD';
            }
        });
    }

    /// <summary>
    /// TAB, the text range XML can hold (U+0020-U+D7FF, surrogates, which pair up as they come from valid UTF-8,
    /// U+E000-U+FFFD) but for DEL and the C1 controls (U+0080-U+009F: U+009B is a one-character CSI to some terminals,
    /// and a topic reaches every member's screen; a spec audit, 2026-12-04), and IRC's formatting codes: bold 02,
    /// colour 03, hex colour 04, reset 0F, monospace 11, reverse 16, italic 1D, strikethrough 1E, underline 1F.
    /// </summary>
    private static bool IsKept(char c) => c is '\t' or '\x02' or '\x03' or '\x04' or '\x0F' or '\x11' or '\x16' or '\x1D' or '\x1E' or '\x1F'
        or (>= '\u0020' and < '\u007F') or (> '\u009F' and <= '\uFFFD');
}
