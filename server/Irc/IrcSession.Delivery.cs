namespace LanTalk.Server.Irc;

/// <summary>What the server's routing delivers to an IRC session, rendered for the capabilities it asked for.</summary>
internal sealed partial class IrcSession
{
    /// <summary>The caps that change how a message line reads: its tags. Everything else about a live line is the same for all.</summary>
    internal const IrcCaps TagCaps = IrcCaps.ServerTime | IrcCaps.MessageTags;

    /// <summary>A message (PRIVMSG or NOTICE) from <paramref name="from"/>; long or multi-line text is split into lines.</summary>
    /// <param name="clientTags">IRCv3 client-only tags (+name=value, escaped) from an IRC sender; only message-tags clients get them.</param>
    /// <param name="batch">The id of the open batch this line belongs to (a join's replay), or null.</param>
    public void DeliverMessage(string from, string command, string target, string text, long timeMs, ulong messageId, string? clientTags = null, string? batch = null)
    {
        foreach (var line in RenderMessage(Caps & TagCaps, from, command, target, text, timeMs, messageId, clientTags, batch))
        {
            Connection.Send(line);
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
            Connection.Send(line);
        }
    }

    /// <summary>The encoded lines of a message as a client with <paramref name="tagCaps"/> sees it.</summary>
    internal static byte[][] RenderMessage(IrcCaps tagCaps, string from, string command, string target, string text, long timeMs, ulong messageId, string? clientTags, string? batch)
    {
        string? tags = null;
        if (tagCaps != 0)
        {
            tags = IrcLine.Time(timeMs);
            if (tagCaps.HasFlag(IrcCaps.MessageTags))
            {
                tags += ";msgid=" + messageId.ToString(System.Globalization.CultureInfo.InvariantCulture);
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

        string source = UserPrefix(from);
        string irc = ToIrcText(text);
        bool action = irc.StartsWith("\u0001ACTION ", StringComparison.Ordinal);
        string body = action ? irc[8..^1] : irc;
        int overhead = source.Length + command.Length + target.Length + 8 + (action ? 9 : 0);
        var lines = new List<byte[]>(1);
        foreach (var piece in IrcLine.Split(body, overhead))
        {
            lines.Add(IrcLine.Build(tags, source, command, target, action ? "\u0001ACTION " + piece + "\u0001" : piece));
        }

        return lines.ToArray();
    }

    /// <summary>A line from another IRC client passed as it is (CTCP other than ACTION).</summary>
    public void DeliverRaw(string source, string command, string target, string text) =>
        Connection.Send(IrcLine.Build(null, source, command, target, text));

    /// <summary>JOIN, PART or QUIT of <paramref name="name"/>, as IRC shows presence.</summary>
    public void DeliverPresence(string name, string command, params string[] parameters) =>
        Connection.Send(IrcLine.Build(null, $"{name}!{name}@{UserHost}", command, parameters));

    /// <summary>away-notify: an AWAY line from a user sharing the channel.</summary>
    public void DeliverAway(string name, string? text)
    {
        if (Caps.HasFlag(IrcCaps.AwayNotify))
        {
            Connection.Send(text is null
                ? IrcLine.Build(null, $"{name}!{name}@{UserHost}", "AWAY")
                : IrcLine.Build(null, $"{name}!{name}@{UserHost}", "AWAY", text));
        }
    }
}
