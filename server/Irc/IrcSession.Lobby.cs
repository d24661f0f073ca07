using System.Globalization;

namespace LanTalk.Server.Irc;

/// <summary>
/// The default room as the channel #lobby. Until rooms land (issue 13) it is the only channel: its members are
/// every ChatSocket user online plus the IRC sessions that joined it. This adapter is meant to be replaced by the
/// room registry's membership, so it stays small.
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>The default room's channel name, #lobby unless DefaultRoom says otherwise.</summary>
    public string LobbyChannel => _server.IrcLobbyChannel;

    /// <summary>Joined #lobby. Written on the read loop under the roster lock (see ChatServer.Irc).</summary>
    public bool InLobby { get; set; }

    private bool IsLobby(string channel) => string.Equals(channel, LobbyChannel, StringComparison.OrdinalIgnoreCase);

    private void OnJoin(IrcMessage message)
    {
        if (message.Params.Count == 0 || message.Params[0].Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "JOIN", "Not enough parameters");
            return;
        }

        if (message.Params[0] == "0")
        {
            if (InLobby)
            {
                _server.PartIrcLobby(this, "Left all channels");
            }

            return;
        }

        foreach (var channel in message.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!channel.StartsWith('#'))
            {
                Numeric(IrcNumeric.NoSuchChannel, channel, "No such channel (channel names start with #)");
            }
            else if (!IsLobby(channel))
            {
                Numeric(IrcNumeric.NoSuchChannel, channel, $"No such channel: this server has only {LobbyChannel} until rooms are enabled");
            }
            else if (!InLobby)
            {
                // The JOIN echo goes to every member, this session included, under the roster lock; then the burst.
                _server.JoinIrcLobby(this);
                SendTopic();
                SendNames();
            }
        }
    }

    private void OnPart(IrcMessage message)
    {
        if (message.Params.Count == 0 || message.Params[0].Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "PART", "Not enough parameters");
            return;
        }

        foreach (var channel in message.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IsLobby(channel))
            {
                Numeric(IrcNumeric.NoSuchChannel, channel, "No such channel");
            }
            else if (!InLobby)
            {
                Numeric(IrcNumeric.NotOnChannel, channel, "You're not on that channel");
            }
            else
            {
                _server.PartIrcLobby(this, message.Param(1));
            }
        }
    }

    private void OnNames(IrcMessage message)
    {
        string channel = message.Param(0);
        if (channel.Length == 0 || IsLobby(channel))
        {
            SendNames();
        }
        else
        {
            Numeric(IrcNumeric.EndOfNames, channel, "End of /NAMES list");
        }
    }

    /// <summary>353 lines of at most about 400 bytes each, then 366.</summary>
    private void SendNames()
    {
        var line = new List<string>();
        int bytes = 0;
        foreach (var member in _server.LobbyMembers())
        {
            string name = Caps.HasFlag(IrcCaps.UserhostInNames) ? $"{member}!{member}@{UserHost}" : member;
            if (bytes + name.Length + 1 > 400 && line.Count > 0)
            {
                Numeric(IrcNumeric.NamReply, "=", LobbyChannel, string.Join(' ', line));
                line.Clear();
                bytes = 0;
            }

            line.Add(name);
            bytes += name.Length + 1;
        }

        if (line.Count > 0)
        {
            Numeric(IrcNumeric.NamReply, "=", LobbyChannel, string.Join(' ', line));
        }

        Numeric(IrcNumeric.EndOfNames, LobbyChannel, "End of /NAMES list");
    }

    private void SendTopic() => Numeric(IrcNumeric.NoTopic, LobbyChannel, "No topic is set");

    private void OnTopic(IrcMessage message)
    {
        string channel = message.Param(0);
        if (channel.Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "TOPIC", "Not enough parameters");
        }
        else if (!IsLobby(channel))
        {
            Numeric(IrcNumeric.NoSuchChannel, channel, "No such channel");
        }
        else if (!InLobby)
        {
            Numeric(IrcNumeric.NotOnChannel, channel, "You're not on that channel");
        }
        else if (message.Params.Count < 2)
        {
            SendTopic();
        }
        else
        {
            // Topics are a room feature (issue 13): until then nobody may set one.
            Numeric(IrcNumeric.ChanOPrivsNeeded, channel, "You're not channel operator (topics come with rooms)");
        }
    }

    private void OnMode(IrcMessage message)
    {
        string target = message.Param(0);
        if (target.Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "MODE", "Not enough parameters");
            return;
        }

        if (target.StartsWith('#'))
        {
            if (!IsLobby(target))
            {
                Numeric(IrcNumeric.NoSuchChannel, target, "No such channel");
            }
            else if (message.Params.Count == 1)
            {
                Numeric(IrcNumeric.ChannelModeIs, LobbyChannel, "+");
            }
            else if (message.Params[1].TrimStart('+', '-') is "b" or "")
            {
                Numeric(IrcNumeric.EndOfBanList, LobbyChannel, "End of channel ban list");
            }
            else
            {
                Numeric(IrcNumeric.ChanOPrivsNeeded, LobbyChannel, "You're not channel operator");
            }

            return;
        }

        if (!string.Equals(target, Nick, StringComparison.OrdinalIgnoreCase))
        {
            Numeric(_server.FindAnyOnline(target) is null ? IrcNumeric.NoSuchNick : IrcNumeric.UsersDontMatch, target, "Can't change mode for other users");
        }
        else if (message.Params.Count == 1)
        {
            Numeric(IrcNumeric.UModeIs, "+");
        }
        else
        {
            Numeric(IrcNumeric.UModeUnknownFlag, "Unknown MODE flag (user modes are not supported)");
        }
    }

    private void OnWho(IrcMessage message)
    {
        string mask = message.Param(0);
        IEnumerable<string> who = IsLobby(mask) ? _server.LobbyMembers()
            : mask.Length == 0 || mask.Contains('*', StringComparison.Ordinal) || mask.Contains('?', StringComparison.Ordinal)
                ? _server.OnlineNames().Where(n => IrcMask.Matches(mask.Length == 0 ? "*" : mask, n))
            : _server.FindAnyOnline(mask) is { } one ? [one]
            : [];
        foreach (var name in who)
        {
            // RFC 2812: the channel is the one asked about, or "*" for a nick query.
            string channel = IsLobby(mask) ? LobbyChannel : "*";
            string flags = _server.AwayOf(name) is null ? "H" : "G";
            var irc = _server.FindIrcSession(name);
            Numeric(IrcNumeric.WhoReply, channel, irc?.UserField ?? name, UserHost, ServerPrefix, name, flags, "0 " + (irc?.RealName is { Length: > 0 } real ? real : name));
        }

        Numeric(IrcNumeric.EndOfWho, mask.Length == 0 ? "*" : mask, "End of /WHO list");
    }

    private void OnList()
    {
        Numeric(IrcNumeric.ListStart, "Channel", "Users  Name");
        // An empty default room is not listed, as IRC servers list only channels that have members.
        if (_server.LobbyMembers().Count is var count and > 0)
        {
            Numeric(IrcNumeric.List, LobbyChannel, count.ToString(CultureInfo.InvariantCulture), string.Empty);
        }

        Numeric(IrcNumeric.ListEnd, "End of /LIST");
    }
}
