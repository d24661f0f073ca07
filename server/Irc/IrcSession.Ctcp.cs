namespace LanTalk.Server.Irc;

/// <summary>
/// CTCP other than ACTION (VERSION, PING, TIME, ...) passes only between IRC clients: a ChatSocket client cannot
/// answer one, so it is neither routed nor kept in history, but relayed as it is to the target's IRC sessions.
/// </summary>
internal sealed partial class IrcSession
{
    private static bool IsCtcp(string text) =>
        text.Length > 0 && text[0] == '\u0001' && !IsAction(text, out _);

    /// <summary>
    /// A CTCP ACTION (/me) and its text: "\x01ACTION text\x01", the closing \x01 optional, and also an empty one
    /// ("\x01ACTION\x01", as some clients send a bare /me), which used to be relayed as text: "?ACTION" on IRC and a
    /// stray control character in lantalk (an IRC audit, 2026-12-04).
    /// </summary>
    private static bool IsAction(string text, out string body)
    {
        body = string.Empty;
        if (!text.StartsWith("\u0001ACTION", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text.AsSpan(7);
        if (rest.IsEmpty || rest is "\u0001")
        {
            return true;
        }

        if (rest[0] != ' ')
        {
            return false;
        }

        // The action ends at its closing \x01 (the CTCP framing); anything a client put after it is dropped, where it
        // was folded into the action with the delimiter shown as U+FFFD (an IRC audit, 2026-12-06).
        var inner = rest[1..];
        int close = inner.IndexOf('\u0001');
        body = (close >= 0 ? inner[..close] : inner).ToString();
        return true;
    }

    /// <param name="notice">A CTCP reply: never answered, not even with an error (RFC 2812), so bots cannot loop.</param>
    private void OnCtcp(string command, string target, string text, bool notice)
    {
        IrcSession[] peers = target.StartsWith('#') ? [] : _server.IrcSessionsOf(target);
        if (peers.Length == 0)
        {
            if (!notice)
            {
                TellCtcpNotPassed(target, text);
            }

            return;
        }

        // Behind this session's messages still waiting for the store: a CTCP relayed at once overtook a PRIVMSG sent
        // before it (an IRC audit, 2026-12-05: 20 of 20 after a JOIN), where IRC keeps one client's lines in order.
        bool echo = Caps.HasFlag(IrcCaps.EchoMessage);
        bool toSelf = peers.Contains(this);
        // The sender's other IRC sessions get a copy, as they get a mirror of any private message (an IRC audit,
        // 2026-12-07: plain messages were mirrored, CTCP not), but only those with echo-message: they take a line
        // from their own nick for one they sent, where a client without it could take a mirrored request for one
        // addressed to it and answer it, to its own user. To one's own nick they are among the peers already.
        IrcSession[] mirrors = toSelf ? [] : [.. _server.IrcSessionsOf(Nick).Where(s => !ReferenceEquals(s, this) && s.Caps.HasFlag(IrcCaps.EchoMessage))];
        string prefix = Prefix;
        string to = peers[0].Nick;
        Sequence.AfterEarlier(() =>
        {
            // The echo first, and to one's own nick also the delivery after it, as for any PRIVMSG or NOTICE to
            // oneself (docs/PROTOCOL.md): it came once, as the delivery alone (an IRC audit, 2026-12-07).
            if (echo)
            {
                DeliverRaw(prefix, command, to, text);
            }

            // Every IRC session of the user, as a private message reaches every session: the one that answers is the
            // one the user is at. This session's own copy (to oneself) is a delivery, not the answer to a label.
            foreach (var peer in peers)
            {
                if (ReferenceEquals(peer, this))
                {
                    WithoutAnswering(() => DeliverRaw(prefix, command, to, text));
                }
                else
                {
                    peer.DeliverRaw(prefix, command, peer.Nick, text);
                }
            }

            foreach (var mirror in mirrors)
            {
                mirror.DeliverRaw(prefix, command, to, text);
            }
        });
    }

    /// <summary>Why a CTCP query went nowhere: 401 for nobody online by that name, else a server NOTICE (no numeric fits).</summary>
    private void TellCtcpNotPassed(string target, string text)
    {
        string verb = text.Trim('\u0001').Split(' ')[0];
        if (target.StartsWith('#'))
        {
            SendRaw(ServerPrefix, "NOTICE", Nick, $"CTCP {verb} is not passed on to channels: only ACTION is (LanTalk clients cannot answer CTCP)");
        }
        else if (_server.FindAnyOnline(target) is { } name)
        {
            SendRaw(ServerPrefix, "NOTICE", Nick, $"{name} is not on IRC: CTCP {verb} is passed only between IRC clients");
        }
        else
        {
            Numeric(IrcNumeric.NoSuchNick, target, "No such nick (CTCP goes only to users online on IRC)");
        }
    }
}
