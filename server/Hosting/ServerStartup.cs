using System.Net.Sockets;
using LanTalk.Server.Cli;
using LanTalk.Server.Discovery;
using LanTalk.Server.History;
using LanTalk.Server.Logging;
using LanTalk.Server.Net;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;
using LanTalk.Server.Users;
using NLog;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Everything between the command line and a listening server, shared by the foreground and service modes:
/// data directory, settings, logging, file limit, accounts, certificate, bind. Each failure becomes a
/// <see cref="StartupException"/> with the exit code and one line for the operator.
/// </summary>
internal static class ServerStartup
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Host");

    /// <summary>Five minutes: often enough that a tail of the log shows it, rare enough not to fill a disk.</summary>
    private static readonly TimeSpan s_syncReminderInterval = TimeSpan.FromMinutes(5);

    /// <param name="operatorConsole">Whether the operator can type commands here, so the first-user hint offers `adduser`.</param>
    /// <param name="stopping">A stop requested while start-up waits (for an unwritable history.db): it ends the wait.</param>
    public static async Task<RunningServer> StartAsync(CommandLine command, ConsoleStyle console, bool operatorConsole = false, CancellationToken stopping = default)
    {
        string dataDirectory = DataDirectory.ResolveChecked(command.DataDirectory);
        LoadedSettings loaded;
        try
        {
            loaded = SettingsFile.Load(dataDirectory);
        }
        catch (SettingsException ex)
        {
            throw new StartupException(ExitCodes.Usage, "settings: " + ex.Message);
        }

        if (CommandLineOverrides.Problem(loaded.Settings, command, loaded.SourceFile) is { } clash)
        {
            throw new StartupException(ExitCodes.Usage, "settings: " + clash);
        }

        var settings = ApplyOverrides(loaded.Settings, command);
        // A running server always writes (logs at least): create the directory now, owner and group only,
        // before NLog would create it with default permissions.
        DataDirectory.EnsureExists(dataDirectory);
        // The lock before the log: a second server on this directory, refused by the lock, had already written its
        // start-up lines into the running server's open log, which then wrote over them from its own position and
        // left a torn line (an operations audit, 2026-12-06). Its warnings wait until logging is set up.
        var lockWarnings = new List<string>();
        var directoryLock = DataDirectoryLock.Take(dataDirectory, lockWarnings.Add);
        string logging;
        try
        {
            logging = LogSetup.Configure(dataDirectory, settings.LogDirectory, console);
        }
        catch (NLogConfigurationException ex)
        {
            // NLog's text says what is wrong but not what to do ("Invalid XML document. Unexpected end of document").
            string what = Innermost(ex).TrimEnd('.', ' ');
            directoryLock?.Dispose();
            throw new StartupException(ExitCodes.Usage, $"logging: {Path.Combine(dataDirectory, LogSetup.ConfigFileName)}: {what}. {(what.Contains("not a file", StringComparison.Ordinal) ? string.Empty : LogSetup.BrokenConfigFix)}".TrimEnd());
        }
        catch (UnauthorizedAccessException ex)
        {
            // NLog.config (or the log directory) of another owner: exit 1 with a bare "Access to the path ... is
            // denied." before (fault injection, 2026-12-06), where every other data file says how to fix it.
            directoryLock?.Dispose();
            throw new StartupException(ExitCodes.Usage, "logging: " + Settings.DataFileProblem.Explain(ex));
        }
        catch
        {
            directoryLock?.Dispose();
            throw;
        }

        s_log.Info("{Version} starting, pid {Pid}, data directory {DataDirectory}", VersionInfo.Line, Environment.ProcessId, dataDirectory);
        if (loaded.SourceFile is null)
        {
            // Name the way to the commented file: a server copied alone has no other copy of it on the machine.
            s_log.Info("No {File} in {DataDirectory}: running on built-in defaults (to change them: lantalk-server config show-defaults settings > {Path}, then edit it)",
                SettingsFile.FileName, dataDirectory, Path.Combine(dataDirectory, SettingsFile.FileName));
        }
        else
        {
            s_log.Info("Settings from {File}", loaded.SourceFile);
        }

        foreach (var warning in loaded.Warnings)
        {
            s_log.Warn("Settings: {Warning}", warning);
        }

        s_log.Info("Logging: {Logging}", logging);
        foreach (string warning in lockWarnings)
        {
            s_log.Warn("{Warning}", warning);
        }

        RaiseFileLimit(settings);
        // Temp files a killed server left of its atomic rewrites (Users.xml's own are removed by the user store).
        // Under the lock, so no live server is writing them; a file of a process still running is left alone.
        HistoryBackup.RemoveAbandonedCopies(Path.Combine(dataDirectory, Rooms.RoomsFile.FileName));
        HistoryBackup.RemoveAbandonedCopies(Path.Combine(dataDirectory, HistoryFile.FileName + IdReservation.Suffix));
        // Socket tuning is best effort (Wine lacks some keep-alive options): say so once, not per connection.
        LanTalk.Core.Transport.SocketTuning.Report.Handler = static message => s_log.Warn("{Message}", message);
        // How a message's copies reach the members' sockets (README, Runtime requirements): io_uring, or a send each.
        s_log.Info("Fan-out sends: {How}", LanTalk.Core.Transport.Uring.Describe());
        UserStore store;
        try
        {
            store = OpenUsers(dataDirectory, settings);
        }
        catch
        {
            directoryLock?.Dispose();
            throw;
        }

        MessageStore? history = null;
        try
        {
            // The certificate first: its errors are configuration errors (exit 2), to be told before a wait for history.db.
            var certificate = LoadCertificate(settings, dataDirectory);
            history = await HistoryOpener.OpenAsync(dataDirectory, settings, stopping).ConfigureAwait(false);
            bool roomsFileMissing = !File.Exists(Rooms.RoomsFile.In(dataDirectory).Path);
            var server = CreateServer(settings, store, certificate, history, dataDirectory);
            if (roomsFileMissing && history is not null)
            {
                WarnIfRoomsLost(history, settings, Rooms.RoomsFile.In(dataDirectory).Path);
            }

            await Listen(server, settings).ConfigureAwait(false);
            var responder = Announcer.Start(settings, server.LocalEndPoint.Port, certificate?.Fingerprint, dataDirectory);
            if (store.Count == 0)
            {
                // README's quick start gives the same two ways, in the same words.
                if (operatorConsole)
                {
                    s_log.Warn("No user accounts yet. Create the first one: type 'adduser NAME' here, or in another shell run: {Command} user add NAME --data {DataDirectory}",
                        Executable.Command, Executable.Quote(dataDirectory));
                }
                else
                {
                    s_log.Warn("No user accounts yet. Create the first one with: {Command} user add NAME --data {DataDirectory}",
                        Executable.Command, Executable.Quote(dataDirectory));
                }
            }

            return new RunningServer(server, store, history, dataDirectory) { Discovery = responder, DirectoryLock = directoryLock, SettingsFromFile = loaded.SourceFile is not null };
        }
        catch
        {
            if (history is not null)
            {
                await history.DisposeAsync().ConfigureAwait(false);
            }

            store.Dispose();
            directoryLock?.Dispose();
            throw;
        }
    }

    /// <summary>The command-line conveniences: --port, --listen and --plaintext win over Settings.xml for this run.</summary>
    public static ServerSettings ApplyOverrides(ServerSettings settings, CommandLine command) => CommandLineOverrides.Apply(settings, command);

    /// <summary>Descriptors the start itself needs, before any client: the runtime, logs, history.db and its log, listeners.</summary>
    private const ulong MinimumFileLimit = 64;

    private static void RaiseFileLimit(ServerSettings settings)
    {
        if (FileLimit.Raise(out string? error) is not { } limit)
        {
            if (error is not null)
            {
                s_log.Warn("Could not raise the open-file limit: {Error}", error);
            }

            return;
        }

        s_log.Info("Open-file limit: soft {Before}, now {After} (hard {Hard})", limit.Before, limit.After, limit.Hard);
        if (limit.After < MinimumFileLimit)
        {
            // Below this the start itself runs out of descriptors (the runtime, the log, SQLite, the listeners): it
            // crashed with a stack trace, or blamed <ListenAddress> (fault injection, 2026-12-05). Say so first.
            throw new StartupException(ExitCodes.Usage,
                $"the open-file limit is {limit.After} (hard limit {limit.Hard}), and lantalk-server needs at least {MinimumFileLimit} to start, plus one per client: "
                + "raise it (ulimit -n in the shell that starts it, LimitNOFILE= in a systemd unit)");
        }

        // Each client is one descriptor; logs, Users.xml and the listener need a few more.
        if (limit.After < (ulong)settings.MaxClients + (ulong)settings.MaxPendingLogins + 64)
        {
            s_log.Warn("The open-file limit {Limit} is below MaxClients + MaxPendingLogins; raise the hard limit (LimitNOFILE= in the unit, or ulimit -Hn)", limit.After);
        }
    }

    private static UserStore OpenUsers(string dataDirectory, ServerSettings settings)
    {
        try
        {
            var store = UserStore.Open(dataDirectory, settings);
            ReportSyncProblems(store);
            s_log.Info("{Count} user account(s) in {File}", store.Count, store.FilePath);
            if (UsersFileMode.FixAtStart(store.FilePath) is { } readable)
            {
                Logging.OperatorAlert.Warn(s_log, readable);
            }

            var names = store.All.Select(u => u.Name).ToList();
            foreach (string warning in UserNames.AccountWarnings(names, settings.MaxUserNameLength, settings.GuestPrefix, Path.Combine(dataDirectory, SettingsFile.FileName)))
            {
                s_log.Warn("{Warning}", warning);
            }

            return store;
        }
        catch (Exception ex) when (ex is UserStoreException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException(ExitCodes.Usage, "accounts: " + Settings.DataFileProblem.Explain(ex));
        }
    }

    /// <summary>
    /// A sync that cannot write (read-only or full disk) fails every second: say so once, then remind every few
    /// minutes, so the log says what is wrong without a line a second. Logins keep working from memory meanwhile.
    /// </summary>
    private static void ReportSyncProblems(UserStore store)
    {
        var failure = new RepeatingFailure(s_syncReminderInterval);
        store.SyncFailed += ex =>
        {
            if (!failure.Occurred(out int silenced, out var failingFor))
            {
                return;
            }

            if (failingFor == TimeSpan.Zero)
            {
                s_log.Error("Users.xml could not be synchronised: {Error} Logins keep working from memory; the last-login times are written once it succeeds. Reminders follow every {Minutes} minutes while it lasts", ex.Message, s_syncReminderInterval.TotalMinutes);
            }
            else
            {
                s_log.Error("Users.xml still cannot be synchronised after {Duration:0} s ({Silenced} more failures; {Pending} logins held in memory only): {Error}",
                    failingFor.TotalSeconds, silenced, store.PendingLogins, ex.Message);
            }
        };
        store.SyncRecovered += () =>
        {
            if (failure.Resolved(out var lasted))
            {
                s_log.Info("Users.xml is synchronised again, after {Duration:0} s of failures", lasted.TotalSeconds);
            }
        };
    }

    private static ServerCertificate? LoadCertificate(ServerSettings settings, string dataDirectory)
    {
        if (settings.TlsMode == TlsMode.Off)
        {
            s_log.Warn("TLS is off: passwords and messages cross the network in plaintext. Use this on trusted test networks only");
            return null;
        }

        try
        {
            var certificate = ServerCertificate.LoadOrCreate(settings, dataDirectory);
            s_log.Info("TLS certificate {Source}{Generated}, SHA-256 fingerprint {Fingerprint}",
                certificate.Source, certificate.WasGenerated ? " (generated now)" : string.Empty, certificate.Fingerprint);
            foreach (string warning in certificate.Warnings)
            {
                OperatorAlert.Warn(s_log, warning);
            }

            return certificate;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // A generated pair that could not be written for want of space (or an I/O error) is no configuration
            // mistake: exit 1, which the systemd unit restarts every 2 s until the disk has room again; with 2 (its
            // RestartPreventExitStatus) a first start on a full disk left the service down for good (ops audit).
            bool transient = (ex as IOException ?? ex.InnerException as IOException) is { } io && io is not (FileNotFoundException or DirectoryNotFoundException);
            throw new StartupException(transient ? ExitCodes.Failure : ExitCodes.Usage, "TLS: " + ex.Message);
        }
    }

    /// <summary>
    /// Rooms.xml is missing, yet history.db holds messages of rooms other than the default one: their members, owners,
    /// topics and invitations are gone, and nobody can reach those messages until someone makes the rooms again. An
    /// empty Rooms.xml stops the start; a missing one, which loses the same, started without a word (fault injection,
    /// 2026-12-05). A new server has no such messages, and says nothing.
    /// </summary>
    private static void WarnIfRoomsLost(MessageStore history, ServerSettings settings, string roomsPath)
    {
        var lost = history.RoomMessageCounts().Where(r => !string.Equals(r.Key, settings.DefaultRoom, StringComparison.OrdinalIgnoreCase)).OrderBy(r => r.Key, StringComparer.OrdinalIgnoreCase).ToList();
        if (lost.Count == 0)
        {
            return;
        }

        string rooms = string.Join(", ", lost.Take(10).Select(r => $"{r.Key} ({r.Value})")) + (lost.Count > 10 ? $" and {lost.Count - 10} more" : string.Empty);
        OperatorAlert.Warn(s_log, $"{roomsPath} is missing, but {history.FilePath} holds messages of {lost.Count} room(s) it would list: {rooms}. "
            + "Their members, owners, topics and invitations are gone, and their messages reach nobody until the rooms are made again. "
            + $"If a backup was restored, stop the server and put the backup's FILE.rooms.xml back as {roomsPath}; if the rooms were reset on purpose, nothing needs doing");
    }

    /// <summary>The server with history (when on) as its message log, and rooms kept in the data directory's Rooms.xml.</summary>
    private static ChatServer CreateServer(ServerSettings settings, UserStore store, ServerCertificate? certificate, MessageStore? history, string dataDirectory)
    {
        try
        {
            return new ChatServer(settings, store, certificate, history, roomHistory: null, Rooms.RoomsFile.In(dataDirectory).Path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException(ExitCodes.Usage, "rooms: " + Settings.DataFileProblem.Explain(ex));
        }
    }

    private static async Task Listen(ChatServer server, ServerSettings settings)
    {
        try
        {
            await server.StartAsync().ConfigureAwait(false);
        }
        catch (PortInUseException ex)
        {
            throw new StartupException(ExitCodes.CannotListen, ex.Message);
        }
        catch (SocketException ex)
        {
            throw new StartupException(ExitCodes.CannotListen,
                $"cannot listen on {settings.ListenAddress} port {settings.Port}: {ex.Message}. Check <ListenAddress> and <Port> in Settings.xml (or --listen/--port); ports below 1024 need CAP_NET_BIND_SERVICE.");
        }
    }

    private static string Innermost(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(": ", messages.Distinct());
    }
}
