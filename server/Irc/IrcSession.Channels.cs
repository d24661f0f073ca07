using System.Buffers;
using System.Globalization;
using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Irc;

/// <summary>
/// Channels are LanTalk rooms: '#name' is the room 'name' (#lobby the default room). Changes go to the room
/// registry, which answers with frames (.Frames); queries are answered from this session's view of its rooms.
/// </summary>
internal sealed partial class IrcSession
{
    // The 472 lines one MODE command can draw (distinct unknown letters); the rest of a long change gets none.
    private const int MaxUnknownModeReplies = 8;

    /// <summary>The default room's channel name, #lobby unless DefaultRoom says otherwise.</summary>
    public string LobbyChannel => "#" + _server.Rooms.DefaultRoomName;

    /// <summary>'#name' -> 'name'; null (and 403 sent) when it is not a channel name.</summary>
    private string? RoomOf(string channel, bool reply = true)
    {
        if (channel.Length > 1 && channel[0] == '#')
        {
            return channel[1..];
        }

        if (reply)
        {
            Numeric(IrcNumeric.NoSuchChannel, channel.Length == 0 ? "*" : channel, "No such channel (channel names start with #)");
        }

        return null;
    }

    private IrcChannel? Channel(string room)
    {
        lock (_deliveryLock)
        {
            return _channels.GetValueOrDefault(room);
        }
    }

    private void OnJoin(IrcMessage message)
    {
        if (message.Params.Count == 0 || message.Params[0].Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "JOIN", "Not enough parameters");
            return;
        }

        if (message.Params[0] == "0")
        {
            foreach (var channel in JoinedChannels())
            {
                _server.RoomCommands.LeaveRoom(this, channel, Track("PART", "#" + channel));
            }

            return;
        }

        foreach (var name in message.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (RoomOf(name) is not { } room || Channel(room) is not null)
            {
                continue;
            }

            // The registry answers with RoomInfo and the member list (JOIN, 332, 353, 366), or an Error; then the
            // room's recent history is replayed (.Replay) before any live message of it.
            // Live frames of the room are held (and judged against the join mark) from inside Join until the replay is queued.
            if (_server.RoomCommands.Join(this, room, new RoomRequestPacket(Track("JOIN", name))) is var (joined, joinMark))
            {
                _ = ReplayAsync(joined, joinMark);
            }
        }
    }

    private string[] JoinedChannels()
    {
        lock (_deliveryLock)
        {
            return [.. _channels.Keys];
        }
    }

    private void OnPart(IrcMessage message)
    {
        if (message.Params.Count == 0 || message.Params[0].Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "PART", "Not enough parameters");
            return;
        }

        foreach (var name in message.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (RoomOf(name) is not { } room)
            {
                continue;
            }

            if (Channel(room) is null)
            {
                NotOnOrNoSuchChannel(_server.Rooms.RoomCount > 0 && RoomExists(room), name);
                continue;
            }

            // The reason goes with the request: RoomLeft brings it back to this user's sessions, and the presence batch
            // to the IRC members who stay (MemberParting). Not kept in the session, where a later JOIN 0 found an old one.
            _server.RoomCommands.LeaveRoom(this, room, Track("PART", name), message.Param(1));
        }
    }

    private bool RoomExists(string room) => _server.Rooms.RoomExists(room);

    private void OnNames(IrcMessage message)
    {
        var names = message.Param(0).Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            names = [.. JoinedChannels().Select(r => "#" + r)];
        }

        foreach (var name in names)
        {
            if (RoomOf(name, reply: false) is { } room && Channel(room) is { } channel)
            {
                lock (_deliveryLock)
                {
                    SendNamesOf(channel);
                }
            }
            else
            {
                Numeric(IrcNumeric.EndOfNames, name, "End of /NAMES list");
            }
        }

        if (message.Params.Count == 0 && names.Length == 0)
        {
            Numeric(IrcNumeric.EndOfNames, "*", "End of /NAMES list");
        }
    }

    // 353's channel type: always '=' (public). '*' means private (+p) and '@' secret (+s), modes LanTalk does not have
    // (CHANMODES lists only i and t): '*' for invite-only rooms made irssi show a +p that no MODE ever set.
    private const string PublicChannel = "=";

    /// <summary>353 lines as full as 512 bytes allow, then 366. Under the delivery lock.</summary>
    private void SendNamesOf(IrcChannel channel)
    {
        int room = NumericRoom(IrcNumeric.NamReply, PublicChannel, channel.Name);
        var names = channel.Sorted().Where(Visible).Select(member => NamesEntry(channel, member, room));
        foreach (string line in IrcListLines.Pack(names, ' ', room))
        {
            Numeric(IrcNumeric.NamReply, PublicChannel, channel.Name, line);
        }

        Numeric(IrcNumeric.EndOfNames, channel.Name, "End of /NAMES list");
    }

    /// <summary>
    /// A member as 353 names it: with userhost-in-names its full mask, unless that alone is longer than a line holds
    /// (a 128-byte nick and channel and a member of a 128-byte name leave about 230 bytes, and the mask takes 266):
    /// then the bare name, whole, rather than a mask cut in the middle.
    /// </summary>
    private string NamesEntry(IrcChannel channel, string member, int room)
    {
        string name = channel.Decorated(member);
        if (!Caps.HasFlag(IrcCaps.UserhostInNames))
        {
            return name;
        }

        string mask = $"{name}!{member}@{UserHost}";
        return Encoding.UTF8.GetByteCount(mask) <= room ? mask : name;
    }

    private void SendTopicOf(IrcChannel channel)
    {
        Numeric(IrcNumeric.Topic, channel.Name, channel.Topic);
        // The setter as a full mask, as servers send it: a bare nick showed in irssi as "Topic set by alice []".
        Numeric("333", channel.Name, channel.TopicBy.Length > 0 ? UserPrefix(channel.TopicBy) : ServerPrefix, (channel.TopicTimeMs / 1000).ToString(CultureInfo.InvariantCulture));
    }

    private void OnTopic(IrcMessage message)
    {
        string name = message.Param(0);
        if (name.Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "TOPIC", "Not enough parameters");
            return;
        }

        if (RoomOf(name) is not { } room)
        {
            return;
        }

        if (message.Params.Count >= 2)
        {
            // The registry checks membership and ownership; its answer is a TOPIC line to every member, or an Error.
            // Cut to TOPICLEN between characters, as IRC servers do, rather than refused.
            _server.RoomCommands.SetTopic(this, room, IrcLine.Truncate(message.Params[1], TopicLen), Track("TOPIC", name));
            return;
        }

        if (Channel(room) is not { } channel)
        {
            NotOnOrNoSuchChannel(RoomExists(room), name);
            return;
        }

        lock (_deliveryLock)
        {
            if (channel.Topic.Length == 0)
            {
                Numeric(IrcNumeric.NoTopic, channel.Name, "No topic is set");
            }
            else
            {
                SendTopicOf(channel);
            }
        }
    }

    // User modes clients set at connect, ignored without a word: irssi sends +i at every connect, and a 501 for it
    // read as an error. Invisible (+i) asks to be left out of strangers' WHO, a courtesy on a public network that a
    // LAN server's user does not count on; there are no wallops to receive (+w). Anything else (+x cloaks, +R, +D,
    // +o...) would mean something the gateway does not do, so it stays 501, and 221 stays "+" (nothing is set).
    private const string IgnoredUserModes = "iw";

    private void OnMode(IrcMessage message)
    {
        string target = message.Param(0);
        if (target.Length == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "MODE", "Not enough parameters");
            return;
        }

        if (!target.StartsWith('#'))
        {
            if (!string.Equals(target, Nick, StringComparison.OrdinalIgnoreCase))
            {
                // Each numeric with its own text: an unknown nick got 401 saying "Can't change mode for other users",
                // which is 502's (an IRC audit, 2026-12-07). 502 takes no nick parameter (RFC 2812, modern.ircdocs).
                if (_server.FindAnyOnline(target) is null)
                {
                    Numeric(IrcNumeric.NoSuchNick, target, "No such nick/channel");
                }
                else
                {
                    Numeric(IrcNumeric.UsersDontMatch, "Can't change mode for other users");
                }
            }
            else if (message.Params.Count == 1)
            {
                Numeric(IrcNumeric.UModeIs, "+");
            }
            else if (message.Params[1].FirstOrDefault(c => c is not ('+' or '-') && !IgnoredUserModes.Contains(c)) is not '\0' and var flag)
            {
                Numeric(IrcNumeric.UModeUnknownFlag, $"Unknown MODE flag '{flag}' (user modes are not supported)");
            }

            // Only harmless modes: accepted without a reply, as servers answer a mode that changes nothing.
            return;
        }

        string room = target[1..];
        var channel = Channel(room);
        if (channel is null && !RoomExists(room))
        {
            Numeric(IrcNumeric.NoSuchChannel, target, "No such channel");
            return;
        }

        string change = message.Param(1);
        // Replies name the channel as the room spells it, as JOIN, NAMES and LIST do: "MODE #ÜBER" answered "#ÜBER",
        // which a client that folds only ASCII took for another channel than "#Über" (an IRC audit, 2026-12-04).
        var known = channel is not null ? (channel.Room, channel.Modes) : _server.Rooms.ModesOf(room);
        string shown = known is { } spelled ? "#" + spelled.Name : target;
        if (change.Length == 0)
        {
            // A channel the session is not in is answered from the registry, so its modes are true there as well.
            Numeric(IrcNumeric.ChannelModeIs, shown, known is { } k ? IrcChannel.ModeStringOf(k.Modes) : "+");
            return;
        }

        if (change.TrimStart('+', '-') is "b" or "")
        {
            if (message.Params.Count > 2)
            {
                // Setting a ban, not asking for the list: there are no bans (CHANMODES has no b), so it is refused as
                // any unknown mode is; the list answer made it look set (an IRC audit, 2026-12-04).
                Numeric(IrcNumeric.UnknownMode, "b", "is unknown mode char to me");
                return;
            }

            Numeric(IrcNumeric.EndOfBanList, shown, "End of channel ban list");
            return;
        }

        // +i/-i and +t/-t are the room's InviteOnly and (inverted) TopicByAnyone; +o/-o (PREFIX=(o)@, the owners) takes
        // a nick but cannot be set here; nothing else exists. Known modes are applied and each unknown one gets its own
        // 472, as IRC servers do (RFC 2812 3.2.3): refusing all of "+int" for the n left a room the user thought
        // invite-only open to everyone (IRC audit, 2026-12-03).
        var before = (channel?.Modes ?? RoomModes.None) & RoomModes.Settable;
        var modes = before;
        bool add = true;
        int nextParam = 2;
        // Each distinct unknown letter is answered once, and at most MaxUnknownModeReplies of them: "+zzzz..." (490
        // letters, one rate token) drew 490 lines of 472, 27 KB for one command (an IRC audit, 2026-12-06).
        var unknown = new HashSet<char>();
        foreach (char c in change)
        {
            switch (c)
            {
                case '+': add = true; break;
                case '-': add = false; break;
                case 'i': modes = add ? modes | RoomModes.InviteOnly : modes & ~RoomModes.InviteOnly; break;
                case 't': modes = add ? modes & ~RoomModes.TopicByAnyone : modes | RoomModes.TopicByAnyone; break;
                case 'o':
                    OwnerModeRefused(target, channel, message.Param(nextParam++));
                    break;
                default:
                    if (unknown.Count < MaxUnknownModeReplies && unknown.Add(c))
                    {
                        Numeric(IrcNumeric.UnknownMode, c.ToString(), "is unknown mode char to me");
                    }

                    break;
            }
        }

        // A string of i and t only is sent as before, changed or not (a non-owner gets its 482); one that also held
        // +o or unknown letters, each answered above, is sent only if it changed something.
        bool onlyRoomModes = change.All(c => c is '+' or '-' or 'i' or 't');
        if (onlyRoomModes || modes != before)
        {
            _server.RoomCommands.SetRoomMode(this, room, modes, Track("MODE", target));
        }
    }

    /// <summary>
    /// +o/-o NICK: owners are a LanTalk room's creator and its heirs (named by the server when the last one leaves),
    /// never given by a command, so the change is refused: 482 to a member who is no owner, as any channel-operator
    /// mode is, and a NOTICE saying why to an owner.
    /// </summary>
    private void OwnerModeRefused(string target, IrcChannel? channel, string nick)
    {
        if (channel is null || !channel.Owners.Contains(Nick))
        {
            Numeric(IrcNumeric.ChanOPrivsNeeded, target, "You're not channel operator");
            return;
        }

        SendRaw(ServerPrefix, "NOTICE", Nick, $"{target}: +o/-o {nick} is not possible here: a room's owners are its creator and the heirs the server names when the last owner leaves");
    }

    private void OnWho(IrcMessage message)
    {
        string mask = message.Param(0);
        IEnumerable<string> who;
        IrcChannel? channel = mask.StartsWith('#') ? Channel(mask[1..]) : null;
        if (channel is not null)
        {
            lock (_deliveryLock)
            {
                who = [.. channel.Sorted().Where(Visible)];
            }
        }
        else if (mask.StartsWith('#'))
        {
            who = [];
        }
        else if (mask.Length == 0 || mask.Contains('*', StringComparison.Ordinal) || mask.Contains('?', StringComparison.Ordinal))
        {
            who = _server.OnlineNames().Where(n => IrcMask.Matches(mask.Length == 0 ? "*" : mask, n)).ToArray();
        }
        else
        {
            who = _server.FindAnyOnline(mask) is { } one ? [one] : [];
        }

        foreach (var name in who)
        {
            // Away is the user's (the registry's), set from any session. The user and real name are those an IRC
            // session gave in USER, as IRC servers show them; a user with no IRC session shows the LanTalk name.
            var irc = _server.FindIrcSession(name);
            string flags = (_server.Rooms.AwayTextOf(name).Length == 0 ? "H" : "G") + (channel is not null && channel.Owners.Contains(name) ? "@" : string.Empty);
            Numeric(IrcNumeric.WhoReply, channel?.Name ?? "*", irc?.UserField ?? name, UserHost, ServerPrefix, name, flags, "0 " + (irc?.RealName is { Length: > 0 } real ? real : name));
        }

        Numeric(IrcNumeric.EndOfWho, mask.Length == 0 ? "*" : mask, "End of /WHO list");
    }

    /// <summary>LIST [#a,#b]: every room the user may see, or only those named (RFC 2812 3.2.6; no ELIST masks).</summary>
    private void OnList(IrcMessage message)
    {
        Numeric(IrcNumeric.ListStart, "Channel", "Users  Name");
        string wanted = message.Param(0);
        _listFilter = wanted.Length == 0
            ? null
            : new HashSet<string>(wanted.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(n => n.Length > 1 && n[0] == '#').Select(n => n[1..]), RoomNames.Comparer);
        try
        {
            // The registry answers with RoomList parts (322 each, 323 after the last), delivered to this session
            // before ListRooms returns (Send translates at once), so the filter holds for exactly this answer.
            _server.RoomCommands.ListRooms(this);
        }
        finally
        {
            _listFilter = null;
        }
    }

    // The channels LIST asked for, while its answer is delivered; null for all.
    private HashSet<string>? _listFilter;

    private void OnInvite(IrcMessage message)
    {
        if (message.Params.Count < 2)
        {
            Numeric(IrcNumeric.NeedMoreParams, "INVITE", "Not enough parameters");
            return;
        }

        string nick = message.Params[0];
        if (RoomOf(message.Params[1]) is not { } room)
        {
            return;
        }

        // An account that is not online is invited all the same: the invitation is recorded and told at its next login
        // (as a ChatSocket Invite is; it was 401, so IRC users could not invite an absent colleague; a rooms audit).
        if ((_server.FindAnyOnline(nick) ?? _server.Users.Find(nick)?.Name) is not { } invited)
        {
            Numeric(IrcNumeric.NoSuchNick, nick, "No such nick");
            return;
        }

        if (Channel(room) is { } channel && _server.Rooms.IsMember(room, invited))
        {
            Numeric(IrcNumeric.UserOnChannel, invited, channel.Name, "is already on channel");
            return;
        }

        _server.RoomCommands.Invite(this, room, nick, string.Empty, Track("INVITE", nick + " " + message.Params[1]));
    }

    private void OnKick(IrcMessage message)
    {
        if (message.Params.Count < 2)
        {
            Numeric(IrcNumeric.NeedMoreParams, "KICK", "Not enough parameters");
            return;
        }

        // RFC 2812 3.2.8: one channel and any number of users, or as many channels as users, paired in order. A list of
        // channels was taken as one name ("there is no room 'a,#b'"; an IRC audit, 2026-12-04).
        string[] channels = message.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
        string[] victims = message.Params[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (channels.Length == 0 || victims.Length == 0 || (channels.Length > 1 && channels.Length != victims.Length))
        {
            Numeric(IrcNumeric.NeedMoreParams, "KICK", "Give one channel and its users, or as many channels as users");
            return;
        }

        string reason = IrcLine.Truncate(message.Param(2), KickLen);
        string? single = channels.Length == 1 ? RoomOf(channels[0]) : null;
        if (channels.Length == 1 && single is null)
        {
            return;
        }

        for (int i = 0; i < victims.Length; i++)
        {
            string channel = channels[channels.Length == 1 ? 0 : i];
            if ((single ?? RoomOf(channel)) is { } room)
            {
                // A KICK of someone invited but not a member withdraws the invitation (as a ChatSocket Kick does): the
                // kicker is told so in a NOTICE, since no KICK line can show it (OnKickDone).
                string command = _server.Rooms.IsMember(room, victims[i]) ? "KICK" : "KICK-INVITED";
                _server.RoomCommands.Kick(this, room, victims[i], reason, Track(command, channel + " " + victims[i], reason));
            }
        }
    }

    /// <summary>442 for a channel that exists, else 403, each with its own text (403 said "You're not on that channel").</summary>
    private void NotOnOrNoSuchChannel(bool exists, string name)
    {
        if (exists)
        {
            Numeric(IrcNumeric.NotOnChannel, name, "You're not on that channel");
        }
        else
        {
            Numeric(IrcNumeric.NoSuchChannel, name, "No such channel");
        }
    }

    /// <summary>PRIVMSG/NOTICE to a channel or a nick, through the router like any session's message.</summary>
    private void RouteMessage(string command, string target, string text, string? clientTags)
    {
        var kind = command == "NOTICE" ? ChatMessageKind.Notice : ChatMessageKind.Text;
        // Only a PRIVMSG's CTCP ACTION is an action. A NOTICE stays a notice (RFC 2812 3.3.2: never answered), its
        // text as sent, \x01 and all: it was stored and relayed as a PRIVMSG action, and echoed as one, which is not
        // what was sent (an IRC audit, 2026-12-07). RenderMessage passes a notice's \x01 through unchanged.
        if (kind == ChatMessageKind.Text && IsAction(text, out string action))
        {
            kind = ChatMessageKind.Action;
            text = action;
        }

        // Encoded into a pooled buffer: the router copies what it keeps before it returns (a ChatSocket session hands
        // it the frame's own bytes the same way), so nothing is allocated here per message.
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var bytes = buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer));
            if (bytes.Length > _server.Settings.MaxMessageBytes)
            {
                if (command != "NOTICE")
                {
                    Numeric(IrcNumeric.InputTooLong, $"Message too long: {bytes.Length} bytes; the limit is {_server.Settings.MaxMessageBytes} bytes (MaxMessageBytes)");
                }

                return;
            }

            if (target.StartsWith('#'))
            {
                _server.Router.RoutePublic(this, target[1..], Track(command, target), bytes, kind, clientTags);
            }
            else
            {
                _server.Router.RoutePrivate(this, target, Track(command, target), bytes, kind, clientTags);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
