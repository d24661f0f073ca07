using System.Text;

namespace LanTalk.Server.Irc;

/// <summary>
/// IRCv3 client-only tags (<c>+name=value</c>) between IRC clients that negotiated message-tags: on PRIVMSG and
/// NOTICE beside the message (<see cref="Rooms.ClientTags"/>), and alone in TAGMSG. Live only: history, ChatSocket
/// clients and IRC clients without message-tags never see them (docs/PROTOCOL.md, "IRC gateway").
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>
    /// The client-only tags of <paramref name="message"/>, escaped and joined as they will be relayed (<c>+a=b;+c</c>),
    /// or null when it has none or this session did not negotiate message-tags (a client that did not ask for tags
    /// has no business sending them). Server tags a client sends (<c>time</c>, <c>msgid</c>...) are never relayed.
    /// </summary>
    private string? ClientTagsOf(IrcMessage message)
    {
        if (message.Tags.Count == 0 || !Caps.HasFlag(IrcCaps.MessageTags))
        {
            return null;
        }

        // Of a key given twice only the last is relayed (message-tags: the last value wins). Found in one pass: a
        // pairwise check was quadratic in the tags, which a hostile line can hold a thousand of.
        var last = new Dictionary<string, int>(message.Tags.Count, StringComparer.Ordinal);
        for (int i = 0; i < message.Tags.Count; i++)
        {
            last[message.Tags[i].Key] = i;
        }

        StringBuilder? joined = null;
        for (int i = 0; i < message.Tags.Count; i++)
        {
            var tag = message.Tags[i];
            // Only a well-formed client tag: others were relayed as they came, "+a!b" and "+k\uFFFD" included (an IRC
            // audit, 2026-12-04).
            if (!IsClientTagKey(tag.Key) || last[tag.Key] != i || ImpersonatingKeys.Contains(tag.Key))
            {
                continue;
            }

            joined = joined is null ? new StringBuilder() : joined.Append(';');
            joined.Append(tag.Key);
            if (tag.Value.Length > 0)
            {
                joined.Append('=').Append(IrcLine.EscapeTag(tag.Value));
            }
        }

        return joined?.ToString();
    }

    /// <summary>
    /// Client tags that ask the receiving client to show another name for the sender (IRCv3's draft display-name):
    /// relayed, a client honouring it showed alice's line as bob's (a security audit, 2026-12-07). In a team's chat
    /// the sender is the account name, nothing else, so they are dropped.
    /// </summary>
    private static readonly HashSet<string> ImpersonatingKeys = new(StringComparer.Ordinal) { "+draft/display-name", "+display-name" };

    /// <summary>
    /// The message-tags grammar of a client tag's key: "+", an optional vendor (a host name) and "/", then one or more
    /// ASCII letters, digits and hyphens.
    /// </summary>
    internal static bool IsClientTagKey(string key)
    {
        if (key.Length < 2 || key[0] != '+')
        {
            return false;
        }

        int slash = key.IndexOf('/', StringComparison.Ordinal);
        var vendor = slash < 0 ? [] : key.AsSpan(1, slash - 1);
        var name = key.AsSpan(slash < 0 ? 1 : slash + 1);
        return (slash < 0 || (vendor.Length > 0 && !vendor.ContainsAnyExcept(s_vendorChars)))
            && name.Length > 0 && !name.ContainsAnyExcept(s_keyChars);
    }

    private static readonly System.Buffers.SearchValues<char> s_keyChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

    private static readonly System.Buffers.SearchValues<char> s_vendorChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.");

    /// <summary>TAGMSG target: client-only tags and no text, to a channel or a nick.</summary>
    private void OnTagMsg(IrcMessage message)
    {
        if (message.Params.Count == 0 || message.Params[0].Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "TAGMSG", "Not enough parameters");
            return;
        }

        string target = message.Params[0];
        if (target.Contains(',', StringComparison.Ordinal))
        {
            Numeric(IrcNumeric.TooManyTargets, target, "Too many recipients: one target per message (TARGMAX)");
            return;
        }

        // Only client-only tags mean anything here; with none there is nothing to pass on (IRCv3 lets a server drop it).
        if (ClientTagsOf(message) is not { } tags)
        {
            return;
        }

        if (target.StartsWith('#'))
        {
            if (RoomOf(target) is { } room)
            {
                _server.Router.RouteTagsOnly(this, room, toRoom: true, Track("TAGMSG", target), tags);
            }
        }
        else
        {
            _server.Router.RouteTagsOnly(this, target, toRoom: false, Track("TAGMSG", target), tags);
        }
    }

    /// <summary>A TAGMSG, shown only with message-tags; to its sender only as an echo (echo-message).</summary>
    public void DeliverTagsOnly(string from, string target, bool toRoom, string clientTags, string msgid, long timeMs, ulong origin)
    {
        // A TAGMSG to oneself is also delivered to oneself, as to any recipient: after its echo, outside a labeled answer.
        bool toSelf = origin == SessionId && !toRoom && IsMe(target);
        if (!Caps.HasFlag(IrcCaps.MessageTags) || (origin == SessionId && !Caps.HasFlag(IrcCaps.EchoMessage) && !toSelf))
        {
            return;
        }

        lock (_deliveryLock)
        {
            if (toRoom && !HasChannel(target))
            {
                return;
            }

            // From us (an echo, or another of our sessions): addressed to the other party, as private messages are.
            string shown = toRoom ? "#" + target : IsMe(from) ? target : Nick;
            var line = IrcLine.Build($"{IrcLine.Time(timeMs)};msgid={msgid};{clientTags}", UserPrefix(from), "TAGMSG", shown);
            if (origin != SessionId || Caps.HasFlag(IrcCaps.EchoMessage))
            {
                Emit(line);
            }

            if (toSelf)
            {
                EmitUnanswered(line);
            }
        }
    }

    // A method of its own: a lambda capturing the line above allocated its closure for every TAGMSG delivered.
    private void EmitUnanswered(byte[] line) => WithoutAnswering(() => Emit(line));
}
