using LanTalk.Server.Net;

namespace LanTalk.Server.Irc;

internal sealed partial class IrcSession
{
    /// <summary>The allowance of keep-alive lines (PING, PONG, empty lines) per second, and its burst, before they spend from the main bucket.</summary>
    internal const double KeepAlivePerSecond = 10;

    internal const double KeepAliveBurst = 50;

    /// <summary>
    /// Registration lines (CAP, PASS, NICK, USER, AUTHENTICATE before 001) a connection may send before they spend
    /// from the main bucket. The largest SASL PLAIN login (4 KiB of credentials: 11 AUTHENTICATE chunks, plus
    /// AUTHENTICATE PLAIN, CAP LS, CAP REQ, PASS, NICK, USER and CAP END) takes 18; the rest covers a NICK retried
    /// after 433 or a CAP REQ sent again.
    /// </summary>
    internal const int RegistrationLines = 32;

    /// <summary>
    /// Query lines a registered connection may send, beyond <see cref="QueriesPerChannel"/> per channel it was put in at
    /// registration, before they spend from the main bucket: what a client asks on its own right after 001 (irssi
    /// and weechat: MODE and WHO per channel, MODE of the nick, autojoin's JOIN, CAP, USERHOST).
    /// </summary>
    internal const int QueriesAfterWelcome = 16;

    /// <summary>A client's queries per channel right after 001: MODE #chan, WHO #chan, MODE #chan b, and a JOIN of it.</summary>
    internal const int QueriesPerChannel = 4;

    // Set by the constructor, told the time the server did not run, which is not held against the client.
    private readonly MessageRateLimit _rate;

    // PING, PONG and empty lines: free up to an allowance far above any client's keep-alive, then spent like every
    // other line. Wholly free, they let one unregistered connection keep a core busy (500 spaces + CRLF, or PING,
    // as fast as it could send; fault injection, 2026-12-03) and slowed everyone's delivery; wholly charged, a client
    // at its message limit would lose its keep-alive replies and time out.
    private readonly TokenBucket _keepAlive;

    // Registration's own lines: spent by the bucket, they kept a client with a small valid MessageBurst from ever
    // registering (a settings audit, 2026-12-06: burst 2 refused NICK or USER, burst 4 a SASL AUTHENTICATE).
    private readonly LoginAllowance _registration = new(RegistrationLines);

    // The client's own queries right after 001, as a ChatSocket session's commands right after login (Session.RateLimit):
    // with MessageBurst 1 some of irssi's MODE and WHO lines got 263, and their answers never came. Only the commands
    // clients send by themselves at connect take from it; messages and everything else spend the bucket as always.
    // Null until the first such line after registration, which sizes it from the channels the registration put the
    // session in. The read loop only.
    private LoginAllowance? _afterWelcome;

    /// <summary>
    /// The main protocol's token bucket (MessageRatePerSecond, MessageBurst), spent by every line: on IRC every
    /// command costs the server work, not only messages. Keep-alive lines (<paramref name="command"/> PING or PONG, or
    /// an empty line, "") and, before registration, its own lines take from their own allowances first. A refused line
    /// with a <paramref name="label"/> (labeled-response) gets its 263 with that label. Runs on the read loop only.
    /// </summary>
    private bool TryTakeToken(string command, string? label = null)
    {
        if (_flooded)
        {
            // Cut off already; the close waits for the echoes of what was accepted before (below).
            return false;
        }

        if (command is "PING" or "PONG" or "" && _keepAlive.TryTake(KeepAlivePerSecond, KeepAliveBurst))
        {
            return true;
        }

        if (command is "CAP" or "PASS" or "NICK" or "USER" or "AUTHENTICATE" && State == IrcSessionState.Registering && _registration.TryTake())
        {
            return true;
        }

        if (command is "MODE" or "WHO" or "JOIN" or "CAP" or "USERHOST" or "ISON" or "MONITOR" or "WHOIS" or "NAMES" or "CHATHISTORY"
            && State == IrcSessionState.Registered
            && (_afterWelcome ??= new LoginAllowance((QueriesPerChannel * JoinedChannels().Length) + QueriesAfterWelcome)).TryTake())
        {
            return true;
        }

        var settings = _server.Settings;
        var verdict = _rate.Take(settings.MessageRatePerSecond, settings.MessageBurst);
        if (verdict == RateVerdict.Allowed)
        {
            return true;
        }

        if (verdict == RateVerdict.Abusive)
        {
            s_log.Warn("{Session} disconnected for flooding: {Count} rate-limited lines in a row", this, _rate.RefusalsInARow);
            // After the echoes of the messages accepted before the flood: they reached everyone else, and a client
            // that never saw them shows a conversation its peers did not have (an IRC audit: 60 delivered, 0 echoed).
            _flooded = true;
            Sequence.AfterEarlier(() => Quit("Excess Flood", toPeers: true));
            return false;
        }

        // In command order, after the echoes of earlier messages still waiting for the store. A NOTICE gets no reply
        // of any kind (RFC 2812 3.3.2), so a refused one is dropped without a word, unless it carried a label: its
        // client then waits for an answer to that label, and an ACK would say it was taken (an IRC audit, 2026-12-07).
        if (command != "NOTICE" || label is not null)
        {
            string refused = command.Length == 0 ? "*" : command;
            string text = $"Slow down: at most {settings.MessageRatePerSecond:0.###} lines per second after a burst of {settings.MessageBurst} (MessageRatePerSecond, MessageBurst); this one was dropped";
            Sequence.AfterEarlier(() =>
            {
                if (label is null)
                {
                    Numeric(IrcNumeric.TryAgain, refused, text);
                }
                else
                {
                    SendLabeled(label, Collect(() => Numeric(IrcNumeric.TryAgain, refused, text)));
                }
            });
        }

        return false;
    }

    // Set on the read loop when the flood cut-off is decided; the read loop only.
    private bool _flooded;
}
