namespace LanTalk.Server.Cli;

/// <summary>The --help texts, one per command; `lantalk-server help TOPIC` and `TOPIC --help` print the same.</summary>
public static class UsageText
{
    private const string Data = """
          --data DIR        data directory (Settings.xml, NLog.config, Users.xml, logs, certificate).
                            Default: $LANTALK_DATA, else Data/ next to the executable.
        """;

    public static string Overview => $"""
        lantalk-server - the LanTalk chat server

        Usage:
          lantalk-server [run] [options]          run in the foreground (operator console on a terminal)
          lantalk-server service run [options]    run as a systemd or Windows service
          lantalk-server service install|uninstall
          lantalk-server user add|list|remove|passwd|add-test-users ...
          lantalk-server config show-defaults|check
          lantalk-server backup FILE [--data DIR]  a consistent copy of the message history, also while it runs
          lantalk-server help [COMMAND]           help for one command, e.g. help user add
          lantalk-server --version

        Options for run and service run:
        {Data}
          --port N          listen on port N instead of <Port> (0 picks a free port)
          --listen ADDR     listen on ADDR instead of <ListenAddress>, e.g. 127.0.0.1 or ::
          --plaintext       TlsMode Off for this run: no TLS (trusted test networks only)
          --service         the same as 'service run'

        In the foreground the server reads operator commands (type 'help'); with standard input redirected it runs
        headless. Ctrl+C, SIGTERM, SIGQUIT or SIGHUP (closing its terminal) stops it: every client is told the
        server is shutting down. Under 'service run', SIGHUP reloads the configuration instead.
        The 'user' commands work while the server runs; it notices changes within a second.

        Exit codes: 0 ok, 1 failed (also a stop that could not save Rooms.xml), 2 bad command line or configuration,
        3 cannot listen (port in use).

        Examples:
          lantalk-server user add alice
          lantalk-server --data /var/lib/lantalk
          lantalk-server --listen 127.0.0.1 --port 6000 --plaintext
          sudo lantalk-server service install --data /var/lib/lantalk --user lantalk
        """;

    public static string? For(string topic) => topic switch
    {
        "" or "run" => Overview,
        "service" => Service,
        "service run" => ServiceRun,
        "service install" => ServiceInstall,
        "service uninstall" => ServiceUninstall,
        "user" => User,
        "user add" => UserAdd,
        "user list" => UserList,
        "user remove" => UserRemove,
        "user passwd" => UserPasswd,
        "user add-test-users" => UserAddTestUsers,
        "config" or "config show-defaults" or "config check" => Config,
        "backup" => Backup,
        "history" or "history bench" => HistoryBench,
        _ => null,
    };

    private static string Service => $"""
        lantalk-server service - run under systemd or the Windows service manager

        {ServiceRun}
        {ServiceInstall}
        {ServiceUninstall}
        """;

    private const string ServiceRun = """
        Usage: lantalk-server service run [--data DIR] [--port N] [--listen ADDR] [--plaintext]
        service run: what the service manager starts. Headless, logs without colors (journald adds the time),
        tells systemd when it is ready (Type=notify) and stops cleanly on SIGTERM or a Windows stop request.
        SIGHUP (systemctl reload lantalk) reloads NLog.config and Settings.xml, like nginx and sshd: limits and
        timeouts (MaxClients, MaxPendingLogins, MaxPendingLoginsPerAddress, MaxConnectionsPerAddress,
        LoginTimeoutSeconds, IdleTimeoutSeconds, AllowRegistration) apply at once; any other changed element is
        named in a warning and applies at the next restart. A file with an error changes nothing.
        Takes the same options as 'run'.
        """;

    private static string ServiceInstall => $"""
        Usage: lantalk-server service install [--data DIR] [--user USER] [--unit-path FILE] [--dry-run]
        service install: on Linux, writes /etc/systemd/system/lantalk.service (needs root) and prints the
        commands that enable and start it. The unit runs this executable, at its current absolute path, with
        'service run --data DIR', restarts it on failure (not on a configuration error, exit 2), raises the
        open-file limit and applies systemd hardening with write access to DIR only. On Windows, registers the
        service 'LanTalk' with sc.exe (run from an elevated prompt).
        {Data}
          --user USER       the account the service runs as (Linux). Recommended: a dedicated system user,
                            e.g. sudo useradd --system --home-dir /var/lib/lantalk lantalk
          --unit-path FILE  write the unit here instead of /etc/systemd/system/lantalk.service
          --dry-run         print the unit (or the sc.exe commands) and change nothing

        Example:
          sudo ./lantalk-server service install --data /var/lib/lantalk --user lantalk
        """;

    private const string ServiceUninstall = """
        Usage: lantalk-server service uninstall [--unit-path FILE] [--dry-run]
        service uninstall: stops and disables the service and removes the unit (Linux) or deletes the Windows
        service. The data directory is left alone.
          --unit-path FILE  the unit to remove (default /etc/systemd/system/lantalk.service); with this option
                            systemctl is not called
          --dry-run         print what would be done
        """;

    private static string User => $"""
        lantalk-server user - manage accounts in Users.xml (safe while the server runs)

        {UserAdd}
        {UserList}
        {UserRemove}
        {UserPasswd}
        {UserAddTestUsers}
        """;

    private static string UserAdd => $"""
        Usage: lantalk-server user add NAME [--password-stdin] [--data DIR]
        user add NAME: creates an account. Asks for the password twice without echo, or reads one line from
        standard input with --password-stdin (for scripts). A name has 1 to <MaxUserNameLength> (Settings.xml,
        32 unless set; up to 128) letters, digits, '_', '-' or '.', at most 128 UTF-8 bytes, and starts with a
        letter or digit.
        {Data}
          --password-stdin  read the password from the first line of standard input
        Examples:
          lantalk-server user add alice
          printf '%s\n' "$PW" | lantalk-server user add bob --password-stdin
        """;

    private const string UserList = """
        Usage: lantalk-server user list [--data DIR]
        user list: prints every account with its creation time, last login and last address.
        """;

    private const string UserRemove = """
        Usage: lantalk-server user remove NAME [--data DIR]
        user remove NAME: deletes the account. If that user is online, the running server disconnects them
        (AccountRemoved) within about a second.
        """;

    private const string UserPasswd = """
        Usage: lantalk-server user passwd NAME [--password-stdin] [--data DIR]
        user passwd NAME: sets a new password (asked twice without echo, or --password-stdin). Sessions already
        logged in stay connected; the new password applies to the next login.
        """;

    private const string UserAddTestUsers = """
        Usage: lantalk-server user add-test-users --prefix P --count N [--iterations I] [--replace] --password-stdin [--data DIR]
        user add-test-users: for load tests only. Adds P0 .. P(N-1) with one shared password (from standard
        input) in a single write. --iterations sets the PBKDF2 cost (default 1000): cheap hashes let a harness log
        in thousands of clients fast, and are far too weak for real accounts. When an account of one of the names
        exists already, nothing is written and the accounts are named, unless --replace is given.
          --prefix P        name prefix, e.g. load
          --count N         how many accounts
          --iterations I    PBKDF2 iterations (default 1000)
          --replace         give existing accounts of those names the shared test password
        Example:
          echo pw | lantalk-server user add-test-users --prefix load --count 2000 --iterations 1000 --password-stdin
        """;

    private static string Config => $"""
        lantalk-server config - the configuration files

        Usage:
          lantalk-server config show-defaults settings|nlog|all
          lantalk-server config check [--data DIR]

        show-defaults prints the shipped, commented Settings.xml and/or NLog.config; they are built into the
        executable. To start from them:
          lantalk-server config show-defaults settings > /var/lib/lantalk/Settings.xml
        check validates Settings.xml in the data directory and prints every effective value; exit code 2 and the
        file, line, element and allowed range when something is wrong. It also opens the message history
        (history.db) read-only and reports its schema version and size, or why the server could not use it.
        {Data}
        """;

    private static string Backup => $"""
        Usage: lantalk-server backup FILE [--data DIR]
        backup FILE: writes a consistent copy of the message history (history.db in the data directory) to FILE,
        with SQLite's online backup API, so it is safe while the server runs: the copy is one moment's state and
        the server keeps storing messages meanwhile. FILE is replaced atomically and stands alone (no -wal file).
        Beside it, FILE.rooms.xml is a copy of Rooms.xml: the rooms its messages belong to.
        To restore: stop the server, delete history.db-wal and history.db-shm if present, copy FILE over
        history.db and FILE.rooms.xml over Rooms.xml, keep history.db.ids, start the server (README, Backup
        and restore).
        {Data}
        Example:
          lantalk-server backup /var/backups/lantalk-history-$(date +%F).db --data /var/lib/lantalk
        """;

    private const string HistoryBench = """
        Usage: lantalk-server history bench --data DIR [--count N] [--writers W] [--print-acks]
        history bench: for measuring only. Appends N 64-byte messages (default 100000) to DIR/history.db from W
        concurrent writers (default 64), each waiting for its acknowledgement (the durable commit) before the
        next, and prints appends/s, the commits it took and the acknowledgement latency. Use a throw-away DIR.
          --print-acks      print "ack ID TEXT" for every acknowledged message (the crash test reads them)
        """;
}
