using LanTalk.Server.History;
using LanTalk.Server.Logging;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;
using NLog;
using NLog.Config;

namespace LanTalk.Server.Cli;

/// <summary>
/// `config show-defaults` prints the embedded shipped files; `config check` validates what start-up reads: Settings.xml,
/// NLog.config, the TLS identity, Users.xml, Rooms.xml and history.db.
/// </summary>
public static class ConfigCommands
{
    /// <summary>
    /// Prints the named shipped file(s). With none named it prints both to a terminal, but refuses when the output
    /// is redirected: `show-defaults > Settings.xml` made a file of two XML documents that the server then refused.
    /// </summary>
    public static int ShowDefaults(string? which, TextWriter output, TextWriter errors, bool outputRedirected)
    {
        if (which is null && outputRedirected)
        {
            errors.WriteLine("lantalk-server: config show-defaults: name the file to print, so the output is one file: "
                + "'settings' (Settings.xml, e.g. lantalk-server config show-defaults settings > DATA_DIR/Settings.xml) or 'nlog' (NLog.config); "
                + "'all' prints both, for reading");
            return ExitCodes.Usage;
        }

        which ??= "all";
        if (which is "settings" or "all")
        {
            output.Write(DefaultFiles.Settings);
        }

        if (which is "nlog" or "all")
        {
            output.Write(DefaultFiles.NLogConfig);
        }

        return ExitCodes.Ok;
    }

    public static int Check(string dataDirectory, TextWriter output, TextWriter errors)
    {
        LoadedSettings loaded;
        try
        {
            loaded = SettingsFile.Load(dataDirectory);
        }
        catch (SettingsException ex)
        {
            errors.WriteLine($"lantalk-server: settings: {ex.Message}");
            return ExitCodes.Usage;
        }

        foreach (var warning in loaded.Warnings)
        {
            errors.WriteLine($"warning: {warning}");
        }

        if (CheckLogging(dataDirectory, loaded.Settings.LogDirectory, errors) is { } failed)
        {
            return failed;
        }

        if (CheckTls(loaded.Settings, dataDirectory, errors) is not { } tls)
        {
            return ExitCodes.Usage;
        }

        // Users.xml and Rooms.xml stop the start when they are damaged, so the check reads them the same way.
        string accounts;
        Dictionary<string, Users.UserRecord> accountNames;
        string rooms;
        try
        {
            string usersPath = Path.Combine(Path.GetFullPath(dataDirectory), Users.UsersFile.FileName);
            accountNames = Users.UserStore.ReadFile(usersPath);
            accounts = $"{accountNames.Count} in {usersPath}";
            if (Users.UsersFileMode.Check(usersPath) is { } readable)
            {
                errors.WriteLine($"warning: {readable}");
            }

            var names = accountNames.Values.Select(u => u.Name).ToList();
            foreach (string warning in Users.UserNames.AccountWarnings(names, loaded.Settings.MaxUserNameLength, loaded.Settings.GuestPrefix,
                Path.Combine(Path.GetFullPath(dataDirectory), SettingsFile.FileName)))
            {
                errors.WriteLine($"warning: {warning}");
            }
        }
        catch (Exception ex) when (ex is Users.UserStoreException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"lantalk-server: accounts: {Settings.DataFileProblem.Explain(ex)}");
            return ExitCodes.Usage;
        }

        try
        {
            var file = Rooms.RoomsFile.In(Path.GetFullPath(dataDirectory));
            var saved = Rooms.OwnerlessRooms.GiveOwners(file.Load(), loaded.Settings.DefaultRoom, file.Path, accountNames.ContainsKey, out var repairs);
            saved = Rooms.DefaultRoomRepair.Apply(saved, loaded.Settings.DefaultRoom, file.Path, repairs);
            foreach (var (_, repair) in repairs)
            {
                errors.WriteLine($"warning: {repair} (the server makes this repair at start)");
            }

            rooms = $"{saved.Rooms.Count} saved in {file.Path}";
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"lantalk-server: rooms: {Settings.DataFileProblem.Explain(ex)}");
            return ExitCodes.Usage;
        }

        output.WriteLine($"Settings: {loaded.Description}");
        output.WriteLine($"TLS: {tls}");
        output.WriteLine($"Accounts: {accounts}");
        output.WriteLine($"Rooms: {rooms}");
        int width = SettingRules.All.Max(r => r.Element.Length);
        foreach (var rule in SettingRules.All)
        {
            string value = rule.Show(loaded.Settings);
            string mark = value == rule.Show(ServerSettings.Default) ? string.Empty : "   (changed from the default " + rule.Show(ServerSettings.Default) + ")";
            output.WriteLine($"  {rule.Element.PadRight(width)}  {value}{mark}");
        }

        try
        {
            output.WriteLine($"History: {HistoryBackup.Describe(dataDirectory)}");
        }
        catch (HistoryStoreException ex)
        {
            errors.WriteLine($"lantalk-server: history: {ex.Message}");
            return ExitCodes.Usage;
        }

        string full = Path.GetFullPath(dataDirectory);
        foreach (string lockPath in (string[])[
            Path.Combine(full, Hosting.DataDirectoryLock.FileName),
            Users.AtomicFile.FinalTarget(HistoryFile.PathIn(full)) + ".lock",
            Path.Combine(full, Users.UsersFile.FileName) + ".lock"])
        {
            if (LockFileProblem.Describe(lockPath) is { } problem)
            {
                errors.WriteLine($"lantalk-server: {problem}");
                return ExitCodes.Usage;
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>Loads the TLS identity the way start-up does, writing nothing; null (after printing why) when start-up would fail.</summary>
    private static string? CheckTls(ServerSettings settings, string dataDirectory, TextWriter errors)
    {
        if (settings.TlsMode == TlsMode.Off)
        {
            return "off (TlsMode Off)";
        }

        try
        {
            var warnings = new List<string>();
            string identity = ServerCertificate.Check(settings, dataDirectory, warnings);
            foreach (string warning in warnings)
            {
                errors.WriteLine($"warning: TLS: {warning}");
            }

            return identity;
        }
        catch (InvalidDataException ex)
        {
            errors.WriteLine($"lantalk-server: TLS: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Parses NLog.config the way start-up does, without activating it, and checks that every log file can be
    /// written; null when fine, else the exit code after saying why.
    /// </summary>
    private static int? CheckLogging(string dataDirectory, string logDirectory, TextWriter errors)
    {
        string path = Path.Combine(dataDirectory, LogSetup.ConfigFileName);
        string absoluteLogs = Path.GetFullPath(logDirectory, dataDirectory);
        GlobalDiagnosticsContext.Set(LogSetup.LogDirectoryItem, absoluteLogs);
        LoggingConfiguration config;
        string fix;
        if (History.FileKind.DescribeIfNotAFile(path) is { } kind)
        {
            errors.WriteLine($"lantalk-server: logging: {path} is {kind}, not a file. Move it away to use the built-in logging configuration.");
            return ExitCodes.Usage;
        }

        if (File.Exists(path))
        {
            JournalPriority.Register();
            LogManager.ThrowConfigExceptions = true;
            try
            {
                config = new XmlLoggingConfiguration(path);
            }
            catch (NLogConfigurationException ex)
            {
                errors.WriteLine($"lantalk-server: logging: {path}: {ex.Message.TrimEnd('.', ' ')}{(ex.InnerException is { } inner ? ": " + inner.Message.TrimEnd('.', ' ') : string.Empty)}. {LogSetup.BrokenConfigFix}");
                return ExitCodes.Usage;
            }
            finally
            {
                LogManager.ThrowConfigExceptions = false;
            }

            if (!config.LoggingRules.Any(r => r.Targets.Count > 0 && r.IsLoggingEnabledForLevel(LogLevel.Info)))
            {
                errors.WriteLine($"warning: {path} sends no Info lines anywhere; the server adds console output and says so at start.");
            }

            fix = $"Fix the permissions, or the fileName in {path} (or <LogDirectory> in Settings.xml).";
        }
        else
        {
            config = FallbackLogConfig.Create(absoluteLogs, ConsoleStyle.Plain);
            fix = "Fix the permissions, or set <LogDirectory> in Settings.xml to a writable directory.";
        }

        int? result = null;
        foreach (string problem in LogFileProbe.Problems(config, fix))
        {
            errors.WriteLine($"lantalk-server: logging: {problem}");
            result = ExitCodes.Usage;
        }

        return result;
    }
}
