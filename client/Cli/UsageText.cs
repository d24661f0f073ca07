namespace LanTalk.Client.Cli;

/// <summary>The --help pages, one per command, each with examples.</summary>
internal static class UsageText
{
    public static string For(CommandKind topic) => topic switch
    {
        CommandKind.Send => Send,
        CommandKind.ArchiveSearch => Archive,
        CommandKind.Servers => Servers,
        CommandKind.Doctor => Doctor,
        CommandKind.Register => Register,
        _ => Main,
    };

    private const string CommonOptions = """
          -s, --server HOST[:PORT]  server to use (default: the last one used, else one found on the LAN)
          -u, --user NAME           LanTalk user name (default: the last one used)
              --password-stdin      read the password from the first line of standard input
              --plaintext           connect without TLS (only for a server with TlsMode Off)
              --trust FINGERPRINT   accept this server certificate SHA-256 fingerprint and remember it
          -h, --help                show help
        """;

    private const string TrustAnnouncedOption = """
              --trust-announced     with no server given: trust, without asking, the
                                    fingerprint the server found on the LAN announces
                                    when it asks for that (pin=auto; first use only)
        """;

    public const string Main = $"""
        lantalk - chat with people on your LAN

        Usage:
          lantalk [HOST[:PORT]] [--user NAME] [options]    chat (interactive, or from a pipe)
          lantalk send [--to NAME|--room ROOM] [options] TEXT  send one message and exit
          lantalk archive search TEXT [options]            search your message archive
          lantalk servers [--json]                         list the servers announced on the LAN
          lantalk doctor [HOST[:PORT]] [--user NAME]       check the connection step by step
          lantalk register [--server] HOST --user NAME     create an account (if the server allows it)
          lantalk --version

        Options:
        {CommonOptions}
        {TrustAnnouncedOption}
              --color, --no-color   colour output on or off (remembered; NO_COLOR also turns it off)
              --seconds, --no-seconds
                                    show times as HH:mm:ss or HH:mm (remembered)
          -V, --version             print the version

        With no server given and none remembered, lantalk looks for servers announced
        on the LAN (mDNS/DNS-SD, about 2 s): it connects to the only one, or lets you
        pick. Announcements reach one subnet; across routers give the address.

        After a successful interactive login, the server, port, user name and display
        options are remembered in Settings.xml in your configuration folder
        (~/.config/LanTalk on Linux, %APPDATA%\LanTalk on Windows) and used as the
        defaults of every command. Options always win over remembered settings.
        The password is asked for without echo and never stored. Scripts can use
        --password-stdin or the LANTALK_PASSWORD environment variable. A wrong
        password is asked again (3 tries), keeping the user name; for another
        account, press Ctrl+D and run lantalk again with --user NAME. An empty
        password line is not sent: the prompt is asked again.

        In the chat:
          text                 send to the current room (shown in the prompt)
          /msg NAME text       send privately to NAME (Tab completes the name)
          /me text             an action: * alice waves
          /join ROOM [+i]      join (or create; +i: invite-only) a room and make it current
          /part [ROOM] [why]   leave a room, with a reason; /go ROOM or Alt+1..9 switches
          /rooms               list rooms; /topic [text] shows or sets the topic
          /invite NAME, /kick NAME   invite to or remove from the current room
          /mode [+i|-i|+t|-t]  show or change the room's modes; /delete ROOM deletes it (owners)
          /who [NAME]          the room's members; with NAME, that user's sessions
          /away [text], /back  set or clear your away status
          /history [N]         page back in the room (also PageUp; PageDown returns)
          /search TEXT         search the history of your rooms and private messages: whole words; end
                               one with * for words that start with it (scrip*)
          /archive [N]         show your last N archived messages (default 20)
          /reconnect           while disconnected: try again now
          /help                show the commands
          /quit                leave (also Ctrl+D or Ctrl+C on an empty line;
                               Ctrl+C on a draft clears it)
          //text               send a message that starts with '/'
        Rooms, away, /history and /search need a protocol v3 server.
        Keys: Left/Right, Home/End, Up/Down (history), Ctrl+A/E/U/K/W, Tab (commands,
        names after /msg, rooms after /join /go /part, and a name at the start of a
        line: al<Tab> gives "alice: "), Alt+1..9 (switch room), PageUp/PageDown.
        A paste of more than 3 lines asks once before sending them.

        With standard input redirected, every input line is sent (commands work too;
        only \n ends a line, a \r before it dropped: a \r elsewhere is part of the text),
        in order and paced to the rate the server announces, so none is refused for
        speed; events are printed one per line, and at end of input lantalk waits
        until every line is confirmed, logs out and exits. If the server is out of
        reach then, it keeps reconnecting for 30 s at most, then names the lines not
        sent on standard error and exits 9 (a signal ends it at once, lines named
        the same way). A line lost with a dropped connection is looked for in the
        server's history once reconnected: sent again only when it is not there;
        each line not known delivered is named at the end. A terminal with TERM=dumb
        (or no TERM, outside Windows) is used the same way, line by line, with no
        escape sequences or colour; NO_COLOR=1 turns off only the colour.

        Connections use TLS. The first time lantalk meets a server it shows the
        certificate fingerprint and asks whether to trust it (compare it with the one
        lantalk-server printed at start); the answer is remembered in known_servers
        beside Settings.xml. A server whose certificate later changes is refused.
        Scripts pass --trust FINGERPRINT instead of answering. A server found on the
        LAN may announce that it wants to be trusted without a question (pin=auto),
        but anyone on the LAN can send such an announcement, so lantalk still asks
        (or, from a script, refuses) unless you pass --trust-announced.

        If the connection drops, lantalk reconnects by itself and keeps trying for
        ever, waiting 1, 2, 4 ... s between tries up to ReconnectMaxDelaySeconds
        (60 s; Settings.xml), with a countdown in the prompt; /reconnect tries at
        once, /quit stops. Lines typed meanwhile are sent once it is back. It does
        not reconnect after being kicked or a failed login.

        A message that mentions your name, and every private message, rings the
        terminal bell (<Bell>false</Bell> under <Display> in Settings.xml turns it
        off) and shows in the prompt until you next send a line: alice [bob:1 @2]>

        Every message is archived in ~/.local/share/LanTalk/SERVER/USER/YYYY-MM-DD.log
        (%LOCALAPPDATA%\LanTalk on Windows), one line per message, dated in UTC.

        Exit codes:
          0 ok, 1 failure, 2 usage error, missing password or a question cancelled
          (Ctrl+C or Ctrl+D at the trust question or a prompt), 3 server unreachable,
          4 login failed (a password typed at the terminal is asked up to 3 times),
          5 server full, 6 version mismatch, 7 kicked,
          8 server shut down, 9 message not delivered (from a pipe: also when any
          command failed, e.g. an unknown command or /join of a closed room, or
          the server stayed out of reach for 30 s after the end of input)

        Examples:
          lantalk chat.example.lan --user alice       connect and remember both
          lantalk                                     reconnect as last time
          lantalk 10.0.0.5:7000 -u bob --no-color
          printf '%s\n' "$PW" "build done" | lantalk -u ci --password-stdin
          LANTALK_PASSWORD=secret lantalk -u buildbot < messages.txt
          lantalk send --to bob "coffee?"
          lantalk archive search deploy
        """;

    public const string Send = $"""
        lantalk send - log in, send one message, wait for the server to confirm it, exit

        Usage:
          lantalk send [--to NAME | --room ROOM] [--server HOST[:PORT]] [--user NAME] TEXT

        Options:
          -t, --to NAME             send privately to NAME
          -r, --room ROOM           send to ROOM ('#' optional), joining it first if
                                    you are not in it (you stay a member); a room
                                    that does not exist is an error, never created;
                                    protocol v3 servers only
        {CommonOptions}
        {TrustAnnouncedOption}

        Without --to or --room the message goes to the server's default room (the
        lobby); if you left it, that fails: use --room. Unquoted words are joined with
        spaces. The password is asked for on the terminal, or read from
        --password-stdin or LANTALK_PASSWORD.
        Exits 0 once the server has confirmed the message. A private message to a
        user who is offline is stored for delivery (v3 servers): lantalk says so on
        standard error and exits 0. Otherwise it prints the reason and exits non-zero
        (see 'lantalk --help' for the codes), e.g. 9 when there is no user NAME, when
        NAME is offline on a v2 server (it stores nothing), or when the room refuses.

        Examples:
          lantalk send "build 1234 is green"
          lantalk send --room dev "deploy finished"
          lantalk send --to bob --server chat.lan:7000 "lunch at 12?"
          echo "$PW" | lantalk send --password-stdin -u ci "deploy finished"
        """;

    public const string Servers = """
        lantalk servers - list the LanTalk servers announced on the LAN

        Usage:
          lantalk servers [--json]

        Asks the LAN with multicast DNS (DNS-SD service _lantalk._tcp) and listens for
        about 2 seconds. Each line shows the server's name and what to type to reach it.
        --json prints name, host, port, connect (what to type), addresses, protocol,
        tls, fingerprint, pinOnFirstUse (pin=auto) and conflict (two hosts answered
        for one name with different records).
        Exits 0 when at least one server answered, 3 when none did.

        Only servers on this subnet answer (routers do not pass multicast DNS on), and
        only those running with <Discovery>On. Otherwise give the address.
        """;

    public const string Doctor = """
        lantalk doctor - check the way to a server, step by step

        Usage:
          lantalk doctor [HOST[:PORT]] [--user NAME [--password-stdin]] [--plaintext] [--json]

        Checks, and stops at the first failure with what to do:
          name       DNS, or multicast DNS for NAME.local
          connect    TCP: refused (nothing listens) or timed out (a firewall drops packets)
          tls        the handshake, and the fingerprint against the one you trusted
          hello      the LanTalk greeting and protocol version
          latency    round trip of 5 pings
          login      only with --user
          discovery  whether the server is announced, and multicast reaches this host
        Without HOST it checks the remembered server, else the only one announced.
        Exits 0 when nothing failed (a warning does not fail), 3 when the server
        cannot be reached or trusted, 4 when the login fails, 6 on a version mismatch.
        """;

    public const string Register = $"""
        lantalk register - create your account on a server that allows it

        Usage:
          lantalk register [--server] HOST[:PORT] --user NAME [options]

        Options:
        {CommonOptions}

        Connects (asking, the first time, whether to trust the server's certificate),
        then asks for the new password twice without echo, creates the account and
        logs it in once. Scripts use --password-stdin or LANTALK_PASSWORD instead.
        The server decides: its AllowRegistration setting must be on, and it refuses
        names that are taken and passwords shorter than its minimum length.
        Afterwards 'lantalk' connects to this server as NAME by default.
        Exits 0 when the account was created, 1 when the server refused it.

        Examples:
          lantalk register chat.lan --user alice
          printf '%s\n' "$PW" | lantalk register chat.lan -u ci --password-stdin
        """;

    public const string Archive = $"""
        lantalk archive search - find lines in your message archive

        Usage:
          lantalk archive search TEXT [--server HOST[:PORT]] [--user NAME] [--all]

        Searches every day's file of the archive for SERVER and USER (default: the
        remembered ones), ignoring case, and prints matching lines oldest first.
        It matches the text as it was written (C:\Users finds C:\Users), not the
        file's escaped form.
        --all searches the archives of every server and user instead.
        Exits 0 when something matched, 1 when nothing did (like grep).

        Archive lines look like:
          2026-11-24T14:03:12.345Z PUB #lobby alice: text
          2026-11-24T14:04:02.017Z PUB #dev *alice: waves          (an action, /me)
          2026-11-24T14:05:40.600Z PRIV alice -> bob: text
        The time is the server's, in UTC to the millisecond (an older lantalk wrote
        whole seconds). A v2 server's lines name no room: PUB alice: text.
        Newlines in messages are written as \n, backslashes as \\.

        Examples:
          lantalk archive search deploy
          lantalk archive search "release notes" --server chat.lan --user alice
          lantalk archive search bob --all
        """;
}
