using System.Globalization;

namespace LanTalk.Server.Irc;

internal sealed partial class IrcSession
{
    /// <summary>The registration burst irssi, weechat and irctest wait for: 001-005, LUSERS, then 422 (no MOTD).</summary>
    /// <param name="newUser">This session brings its user online: the registry counts it only after this burst is queued.</param>
    private void SendWelcome(bool newUser)
    {
        var settings = _server.Settings;
        string version = ServerVersion;
        Numeric(IrcNumeric.Welcome, $"Welcome to the {NetworkName(settings.ServerName)} network, {Prefix}");
        Numeric(IrcNumeric.YourHost, $"Your host is {ServerPrefix}, running {version}");
        Numeric(IrcNumeric.Created, "This server speaks ChatSocket and IRC to the same rooms");
        // User modes: +i is taken (and ignored) as irssi sets it at connect; channel modes: +i, +t and the owner prefix +o (a parameter).
        Numeric(IrcNumeric.MyInfo, ServerPrefix, version, "i", "iot", "o");
        SendISupport();

        SendLusers(newUser ? 1 : 0);
        Numeric(IrcNumeric.NoMotd, "MOTD File is missing");
    }

    /// <summary>The longest kick reason the gateway passes on, in bytes: what fits a KICK line with long names.</summary>
    private const int KickLen = 390;

    /// <summary>The longest topic the gateway sets, in bytes (ISUPPORT TOPICLEN).</summary>
    private int TopicLen => Math.Min(_server.Settings.MaxTopicBytes, 390);

    private static string ServerVersion => "lantalk-" + typeof(IrcSession).Assembly.GetName().Version?.ToString(3);

    /// <summary>VERSION: 351 (version, server, comment), then the ISUPPORT lines again, as modern servers answer it.</summary>
    private void SendVersion()
    {
        Numeric(IrcNumeric.Version, ServerVersion + ".", ServerPrefix, "LanTalk: ChatSocket and IRC to the same rooms");
        SendISupport();
    }

    /// <summary>The 005 lines, at most 12 tokens each: in the registration burst and after VERSION's 351.</summary>
    private void SendISupport()
    {
        foreach (var group in ISupport().Chunk(12))
        {
            Numeric(IrcNumeric.ISupport, [.. group, "are supported by this server"]);
        }
    }

    /// <summary>
    /// The N of ISUPPORT CHATHISTORY=N: the most messages one CHATHISTORY answers, and the cap on a larger limit asked for.
    /// </summary>
    private static int ChatHistoryPage(Settings.ServerSettings settings) =>
        Math.Min(settings.MaxHistoryPage, History.QueueShare.Of(settings).Frames);

    /// <summary>RPL_ISUPPORT tokens; each describes what the gateway really does (docs/PROTOCOL.md, "IRC gateway").</summary>
    private string[] ISupport()
    {
        var settings = _server.Settings;
        // Without a history store there is no CHATHISTORY, and no token says there is (WithheldCaps).
        bool history = _server.RoomHistory.Stores;
        return
        [
            // Longer away texts are cut to MaxAwayBytes (.Commands OnAway).
            $"AWAYLEN={settings.MaxAwayBytes}",
            // Names compare case-insensitively over all of Unicode; ascii is the closest token IRC has.
            "CASEMAPPING=ascii",
            // What the settings allow, not their defaults: a server with MaxRoomsPerUser 3 advertised 50 and refused
            // the third channel with 405 (a spec audit, 2026-12-05). The default room counts while the user is in it.
            $"CHANLIMIT=#:{settings.MaxRoomsPerUser}",
            // draft/chathistory: the most messages one CHATHISTORY answers (MaxHistoryPage).
            // No more than one answer may put in a session's queue (QueueShare): with MaxHistoryPage 65535 it
            // advertised 65535 and answered 16384, which clients take for the start of the history (fault audit 2).
            .. (history ? (string[])[$"CHATHISTORY={ChatHistoryPage(settings)}"] : []),
            "CHANMODES=,,,it",
            // The '#' and MaxRoomNameLength characters (a room created before the limit was lowered keeps its name).
            $"CHANNELLEN={settings.MaxRoomNameLength + 1}",
            "CHANTYPES=#",
            "ELIST=",
            // Longer kick reasons are cut to this (.Channels OnKick).
            $"KICKLEN={KickLen}",
            // MONITOR: the notify list's length per session (.Monitor).
            $"MONITOR={MonitorLimit}",
            // CHATHISTORY takes msgid= references only; the store pages by message id, not by time.
            .. (history ? (string[])["MSGREFTYPES=msgid,timestamp"] : []),
            $"NETWORK={settings.ServerName.Replace(' ', '-')}",
            $"NICKLEN={settings.MaxUserNameLength}",
            "PREFIX=(o)@",
            "STATUSMSG=",
            $"TARGMAX=PRIVMSG:1,NOTICE:1,JOIN:,PART:,WHOIS:{MaxWhoisTargets}",
            // Longer topics are cut to this (.Channels OnTopic), as IRC servers do; a ChatSocket topic may be longer
            // than one IRC line can carry, so the smaller of MaxTopicBytes and 390.
            $"TOPICLEN={TopicLen}",
            "USERLEN=64",
            "UTF8ONLY",
        ];
    }

    /// <summary>
    /// "the LanTalk network" for the default ServerName (and any that says LanTalk already), else "the Office LanTalk
    /// network": the name alone could be anything, but "the LanTalk LanTalk network" read as a typo.
    /// </summary>
    internal static string NetworkName(string serverName) =>
        serverName.Contains("LanTalk", StringComparison.OrdinalIgnoreCase) ? serverName : serverName + " LanTalk";

    /// <param name="joining">Users not yet in the registry's count that are online as far as the client is concerned (its own, in the burst).</param>
    internal void SendLusers(int joining = 0)
    {
        int users = _server.TotalOnlineCount + joining;
        string count = users.ToString(CultureInfo.InvariantCulture);
        string max = Math.Max(_server.PeakOnlineCount, users).ToString(CultureInfo.InvariantCulture);
        Numeric(IrcNumeric.LUserClient, $"There are {users} users and 0 invisible on 1 servers");
        Numeric(IrcNumeric.LUserOp, "0", "operator(s) online");
        Numeric(IrcNumeric.LUserChannels, _server.Rooms.RoomCount.ToString(CultureInfo.InvariantCulture), "channels formed");
        Numeric(IrcNumeric.LUserMe, $"I have {users} clients and 0 servers");
        Numeric(IrcNumeric.LocalUsers, count, max, $"Current local users {count}, max {max}");
        Numeric(IrcNumeric.GlobalUsers, count, max, $"Current global users {count}, max {max}");
    }
}
