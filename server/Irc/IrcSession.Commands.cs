using System.Globalization;

namespace LanTalk.Server.Irc;

internal sealed partial class IrcSession
{
    private void OnRegistered(IrcMessage message)
    {
        switch (message.Command)
        {
            case "PING":
                OnPing(message);
                break;
            case "PONG":
                PingOutstanding = false;
                break;
            case "PRIVMSG" or "NOTICE":
                OnMessage(message, message.Command == "NOTICE");
                break;
            case "JOIN":
                OnJoin(message);
                break;
            case "PART":
                OnPart(message);
                break;
            case "NAMES":
                OnNames(message);
                break;
            case "TOPIC":
                OnTopic(message);
                break;
            case "MODE":
                OnMode(message);
                break;
            case "WHO":
                OnWho(message);
                break;
            case "WHOIS":
                OnWhois(message);
                break;
            case "LIST":
                OnList(message);
                break;
            case "LUSERS":
                SendLusers();
                break;
            case "MOTD":
                Numeric(IrcNumeric.NoMotd, "MOTD File is missing");
                break;
            case "TAGMSG" when Caps.HasFlag(IrcCaps.MessageTags):
                // Part of message-tags, which this session negotiated: tags only (typing notifications, reactions).
                OnTagMsg(message);
                break;
            case "ISON" when message.Params.Count == 0:
                Numeric(IrcNumeric.NeedMoreParams, "ISON", "Not enough parameters");
                break;
            case "ISON":
                Numeric(IrcNumeric.IsOn, string.Join(' ', message.Params.SelectMany(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(n => _server.FindAnyOnline(n) is not null).Select(n => _server.FindAnyOnline(n)!)));
                break;
            case "USERHOST":
                Numeric(IrcNumeric.UserHost, string.Join(' ', message.Params.Take(5).Select(n => _server.FindAnyOnline(n)).OfType<string>().Select(n => $"{n}={(_server.Rooms.AwayTextOf(n).Length == 0 ? '+' : '-')}{n}@{UserHost}")));
                break;
            case "AWAY":
                OnAway(message);
                break;
            case "MONITOR":
                OnMonitor(message);
                break;
            case "INVITE":
                OnInvite(message);
                break;
            case "KICK":
                OnKick(message);
                break;
            case "CHATHISTORY":
                OnChatHistory(message);
                break;
            case "CAP":
                OnCap(message);
                break;
            case "NICK":
                OnNick(message);
                break;
            case "VERSION":
                SendVersion();
                break;
            case "WHOWAS":
                OnWhoWas(message);
                break;
            case "TIME":
                Numeric(IrcNumeric.Time, ServerPrefix, DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
                break;
            case "USER" or "PASS":
                Numeric(IrcNumeric.AlreadyRegistered, "You may not reregister");
                break;
            case "AUTHENTICATE":
                Numeric(IrcNumeric.SaslAlready, "You have already authenticated");
                break;
            case "QUIT":
                // "Quit: " as IRC servers prefix it, so a client cannot pass its reason off as the server's ("Ping timeout").
                // Without a text the others see the default, Disconnected.
                if (message.Param(0) is { Length: > 0 } said)
                {
                    Quit("Quit: " + said, toPeers: true);
                }
                else
                {
                    Quit("Client quit");
                }

                break;
            default:
                Numeric(IrcNumeric.UnknownCommand, message.Command, "Unknown command");
                break;
        }
    }

    /// <summary>
    /// WHOWAS: the gateway keeps no record of past nicks (a nick is an account name, and accounts are listed by WHOIS),
    /// so every nick is 406 and the list ends with 369. irssi sends WHOWAS by itself after a WHOIS of a nick not online,
    /// and "Unknown command" there read as a fault.
    /// </summary>
    private void OnWhoWas(IrcMessage message)
    {
        string nicks = message.Param(0);
        if (nicks.Length == 0)
        {
            Numeric(IrcNumeric.NoNicknameGiven, "No nickname given");
            return;
        }

        foreach (var nick in nicks.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(5))
        {
            Numeric(IrcNumeric.WasNoSuchNick, nick, "There was no such nickname");
        }

        Numeric(IrcNumeric.EndOfWhoWas, nicks, "End of WHOWAS");
    }

    private void OnPing(IrcMessage message)
    {
        if (message.Params.Count == 0)
        {
            Numeric("409", "No origin specified");
            return;
        }

        Pong(message.Params[0]);
    }

    /// <summary>The nick is the LanTalk user name, so it cannot change; the same nick again is a harmless no-op.</summary>
    private void OnNick(IrcMessage message)
    {
        string wanted = message.Param(0);
        if (wanted.Length == 0)
        {
            Numeric(IrcNumeric.NoNicknameGiven, "No nickname given");
        }
        else if (!string.Equals(wanted, Nick, StringComparison.Ordinal))
        {
            Numeric(IrcNumeric.NoNickChange, wanted, "Cannot change nickname: on LanTalk the nick is your user name");
        }
    }

    private void OnMessage(IrcMessage message, bool notice)
    {
        if (message.Params.Count == 0 || message.Params[0].Length == 0)
        {
            if (!notice)
            {
                Numeric(IrcNumeric.NoRecipient, $"No recipient given ({message.Command})");
            }

            return;
        }

        if (message.Params.Count < 2 || message.Params[1].Length == 0)
        {
            if (!notice)
            {
                Numeric(IrcNumeric.NoTextToSend, "No text to send");
            }

            return;
        }

        if (message.InvalidUtf8 && !notice)
        {
            // UTF8ONLY is advertised, and a client sending Latin-1 should hear why its accents came out as U+FFFD; the
            // text still goes through, replaced, so such a client is not cut off (irctest utf8.py accepts WARN).
            SendRaw(ServerPrefix, "WARN", message.Command, "INVALID_UTF8", "Your message was not valid UTF-8; the bad bytes were replaced with U+FFFD. Set your client's charset to UTF-8");
        }

        string target = message.Params[0];
        string text = message.Params[1];
        if (target.Contains(',', StringComparison.Ordinal))
        {
            // One target per message (ISUPPORT TARGMAX=PRIVMSG:1,NOTICE:1); 401 named "bob,dave" as if one nick.
            if (!notice)
            {
                Numeric(IrcNumeric.TooManyTargets, target, "Too many recipients: one target per message (TARGMAX)");
            }

            return;
        }
        if (IsCtcp(text))
        {
            OnCtcp(message.Command, target, text, notice);
            return;
        }

        RouteMessage(message.Command, target, text, ClientTagsOf(message));
    }

    /// <summary>AWAY goes to the registry, which tells this user's sessions (305/306) and everyone sharing a room (away-notify).</summary>
    private void OnAway(IrcMessage message)
    {
        // AWAYLEN is in bytes: a longer text is cut to it (IRC servers truncate, they do not refuse), between characters.
        string text = IrcLine.Truncate(message.Param(0), _server.Settings.MaxAwayBytes);

        _server.RoomCommands.SetAway(this, text, Track("AWAY", Nick));
    }

    /// <summary>Nicks one WHOIS may ask about (ISUPPORT TARGMAX=WHOIS:4): each gets its own answer, ended by 318.</summary>
    internal const int MaxWhoisTargets = 4;

    private void OnWhois(IrcMessage message)
    {
        // WHOIS [server] nick[,nick...]: the last parameter holds the nicks. The registry answers with UserInfo (.Frames).
        string[] targets = message.Params.Count == 0 ? [] : message.Params[^1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (targets.Length == 0)
        {
            Numeric(IrcNumeric.NoNicknameGiven, "No nickname given");
            return;
        }

        if (targets.Length > MaxWhoisTargets)
        {
            Numeric(IrcNumeric.TooManyTargets, message.Params[^1], $"Too many nicks: at most {MaxWhoisTargets} per WHOIS (TARGMAX)");
            return;
        }

        foreach (string target in targets)
        {
            if (_server.FindAnyOnline(target) is null)
            {
                Numeric(IrcNumeric.NoSuchNick, target, "No such nick");
                Numeric(IrcNumeric.EndOfWhoIs, target, "End of /WHOIS list");
                continue;
            }

            _server.RoomCommands.WhoIs(this, target, Track("WHOIS", target));
        }
    }
}
