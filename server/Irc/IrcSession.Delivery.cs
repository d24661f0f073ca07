namespace LanTalk.Server.Irc;

/// <summary>What the server's routing delivers to an IRC session, rendered for the capabilities it asked for.</summary>
internal sealed partial class IrcSession
{
    /// <summary>The caps that change how a message line reads: its tags. Everything else about a live line is the same for all.</summary>
    internal const IrcCaps TagCaps = IrcCaps.ServerTime | IrcCaps.MessageTags;

    /// <summary>A message (PRIVMSG or NOTICE) from <paramref name="from"/>; long or multi-line text is split into lines.</summary>
    /// <param name="clientTags">IRCv3 client-only tags (+name=value, escaped) from an IRC sender; only message-tags clients get them.</param>
    /// <param name="batch">The id of the open batch this line belongs to (a join's replay), or null.</param>
    /// <param name="stored">
    /// A stored message answering CHATHISTORY or a join's replay: it carries its <c>time</c> tag even without
    /// server-time, which a client asking for history gets for it, since without its time it would look live (an IRC audit).
    /// </param>
    public void DeliverMessage(string from, string command, string target, string text, bool action, long timeMs, ulong messageId, string? clientTags = null, string? batch = null, bool stored = false)
    {
        foreach (var line in RenderMessage((Caps & TagCaps) | (stored ? IrcCaps.ServerTime : 0), from, command, target, text, action, timeMs, messageId, clientTags, batch))
        {
            Emit(line);
        }
    }

    /// <summary>
    /// A live message from a fanned-out frame: its lines come from <paramref name="frame"/>'s cache, encoded by the
    /// first recipient with the same tag caps, command and target and shared by the rest.
    /// </summary>
    private void DeliverCached(IrcFrameCache frame, string command, string target)
    {
        foreach (var line in frame.MessageLines(Caps & TagCaps, command, target))
        {
            Emit(line);
        }
    }

    /// <summary>The encoded lines of a message as a client with <paramref name="tagCaps"/> sees it.</summary>
    /// <remarks>
    /// With message-tags each line gets its own <c>msgid</c>: the message id on the first line, <c>ID-2</c>, <c>ID-3</c>...
    /// on the lines a long or multi-line text is split into. IRCv3 makes msgid unique per message, and a client that
    /// de-duplicates by it dropped every continuation line when all carried the same one (there is no draft/multiline
    /// here to say they belong together). CHATHISTORY takes either form as a reference to the message.
    /// </remarks>
    /// <param name="action">The text is an action's (<see cref="ActionText"/>), sent as CTCP ACTION.</param>
    internal static byte[][] RenderMessage(IrcCaps tagCaps, string from, string command, string target, string text, bool action, long timeMs, ulong messageId, string? clientTags, string? batch)
    {
        string? time = tagCaps != 0 ? IrcLine.Time(timeMs) : null;
        string? msgid = tagCaps.HasFlag(IrcCaps.MessageTags) ? messageId.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        string source = UserPrefix(from);
        // An action is known by its Kind (ActionText), never by the text's own bytes: a ChatSocket text
        // "\x01ACTION x\x01 y" was taken for one and lost its last character (an IRC audit). An action's \x01 become
        // U+FFFD before the split, not after it (ActionLine), so each piece is measured in the bytes it is written with.
        string body = action ? text.Replace('\u0001', '\uFFFD') : text;
        // The pieces are sized in the UTF-8 bytes of the line around them: the prefix carries the sender's name twice
        // and the target a room or nick, any of them non-ASCII. Plus what a piece gains as it is written: an action's
        // "\x01ACTION " and "\x01" (9 bytes), or the 2 bytes a leading \x01 gains as U+FFFD (NoCtcp).
        // A NOTICE's \x01 stay as they are: a CTCP in a NOTICE is a reply, which no client answers, and an IRC
        // sender's NOTICE "\x01ACTION x\x01" is relayed and echoed as it was sent (an IRC audit, 2026-12-07).
        bool notice = command == "NOTICE";
        int overhead = IrcLine.BytesAround(source, command, target) + (action ? 9 : !notice && body.Contains('\u0001') ? 2 : 0);
        var lines = new List<byte[]>(1);
        foreach (var piece in IrcLine.Split(body, overhead))
        {
            string? tags = LineTags(time, msgid, lines.Count + 1, clientTags, batch);
            lines.Add(IrcLine.Build(tags, source, command, target, action ? ActionLine(piece) : notice ? piece : NoCtcp(piece)));
        }

        return lines.ToArray();
    }

    /// <summary>
    /// The CTCP ACTION of one piece of an action; an empty one stays "\x01ACTION\x01" as it was sent (it was relayed
    /// with a space added; an IRC audit, 2026-12-06).
    /// </summary>
    private static string ActionLine(string piece) =>
        piece.Length == 0 ? "\u0001ACTION\u0001" : "\u0001ACTION " + piece + "\u0001";

    /// <summary>
    /// A line of text that starts with \x01 would reach IRC clients as a CTCP request, which they answer by themselves:
    /// a ChatSocket user's text "\x01VERSION\x01" made every IRC client in the room reply (an IRC audit). CTCP passes
    /// only between IRC clients (DeliverRaw), so here the \x01 shows as U+FFFD. Not in a NOTICE (RenderMessage): a
    /// CTCP there is a reply, which nothing answers.
    /// </summary>
    private static string NoCtcp(string piece) => piece.StartsWith('\u0001') ? "\uFFFD" + piece[1..] : piece;

    /// <summary>The tags of line <paramref name="number"/> (from 1) of a message: batch, time, msgid (its own per line), client tags.</summary>
    private static string? LineTags(string? time, string? msgid, int number, string? clientTags, string? batch)
    {
        string? tags = null;
        if (time is not null)
        {
            tags = time;
            if (msgid is not null)
            {
                tags += ";msgid=" + (number == 1 ? msgid : msgid + "-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (!string.IsNullOrEmpty(clientTags))
                {
                    tags += ";" + clientTags;
                }
            }
        }

        if (batch is not null)
        {
            tags = tags is null ? "batch=" + batch : "batch=" + batch + ";" + tags;
        }

        return tags;
    }

    /// <summary>A line from another IRC client passed as it is (CTCP other than ACTION).</summary>
    public void DeliverRaw(string source, string command, string target, string text) =>
        Emit(IrcLine.Build(null, source, command, target, text));

    /// <summary>away-notify: an AWAY line from a user sharing the channel.</summary>
    public void DeliverAway(string name, string? text)
    {
        if (Caps.HasFlag(IrcCaps.AwayNotify))
        {
            if (text is null)
            {
                SendEvent(UserPrefix(name), "AWAY");
            }
            else
            {
                SendEvent(UserPrefix(name), "AWAY", text);
            }
        }
    }
}
