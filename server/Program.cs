using LanTalk.Server.Cli;
using LanTalk.Server.History;
using LanTalk.Server.Hosting;
using LanTalk.Server.Logging;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

// lantalk-server: parse the command line, run one command, and turn every expected failure into one line on
// stderr and an exit code (ExitCodes). Stack traces are for bugs only.
if (!CliParser.TryParse(args, out var command, out string error))
{
    Console.Error.WriteLine($"lantalk-server: {error}");
    return ExitCodes.Usage;
}

// Checked before anything loads OpenSSL: without it .NET aborts the process at the first password hash.
if (OpenSslCheck.IsNeededBy(command.Kind) && OpenSslCheck.Problem() is { } missing)
{
    Console.Error.WriteLine($"lantalk-server: {missing}");
    return ExitCodes.Usage;
}

// A one-shot command denied a data file is told to run as its owner, not to chown the server's files (DataFileProblem).
if (command.Kind is not (CommandKind.Run or CommandKind.ServiceRun))
{
    DataFileProblem.CommandLine = [Environment.ProcessPath ?? "lantalk-server", .. Environment.GetCommandLineArgs().Skip(1)];
}

try
{
    return command.Kind switch
    {
        CommandKind.Version => Print(VersionInfo.Line),
        CommandKind.Help => UsageText.For(command.HelpTopic) is { } text
            ? Print(text)
            : Fail(ExitCodes.Usage, $"no help for '{command.HelpTopic}' (see lantalk-server --help)"),
        CommandKind.Run => await ForegroundHost.RunAsync(command),
        CommandKind.ServiceRun => await ServiceHost.RunAsync(command),
        CommandKind.ServiceInstall => ServiceInstaller.Install(command, Console.Out, Console.Error),
        CommandKind.ServiceUninstall => ServiceInstaller.Uninstall(command, Console.Out, Console.Error),
        CommandKind.ConfigShowDefaults => ConfigCommands.ShowDefaults(command.Which, Console.Out, Console.Error, Console.IsOutputRedirected),
        CommandKind.ConfigCheck => ConfigCommands.Check(DataDirectory.ResolveExisting(command.DataDirectory, mayCreateDefault: false), Console.Out, Console.Error),
        CommandKind.Backup => Backup(command),
        CommandKind.HistoryBench => await HistoryBench.RunAsync(command.DataDirectory!, command.Count == 0 ? 100_000 : command.Count, command.Writers, command.PrintAcks, Console.Out),
        _ => UserCommands.Run(command, UserDataDirectory(command), Console.Out, Console.Error),
    };
}
catch (StartupException ex)
{
    return Fail(ex.ExitCode, "error: " + ex.Message);
}
catch (SettingsException ex)
{
    return Fail(ExitCodes.Usage, "settings: " + ex.Message);
}
catch (DataDirectoryException ex)
{
    return Fail(ExitCodes.Usage, ex.Message);
}
catch (HistoryStoreException ex)
{
    return Fail(ExitCodes.Usage, "history: " + ex.Message);
}
catch (UserStoreException ex)
{
    return Fail(ExitCodes.Failure, ex.Message);
}
catch (UnauthorizedAccessException ex)
{
    // A data file of another owner or mode that no check before named: still the file and the fix, and exit 2 (a
    // restart cannot mend it), as for Settings.xml, Users.xml and the rest.
    return Fail(ExitCodes.Usage, DataFileProblem.Explain(ex));
}
catch (IOException ex)
{
    return Fail(ExitCodes.Failure, ex.Message);
}
finally
{
    LogSetup.Shutdown();
}

// add-test-users fills a throw-away directory for a load test (the harness's --spawn, scripts): it may make one.
static string UserDataDirectory(CommandLine command) => command.Kind == CommandKind.UserAddTestUsers
    ? DataDirectory.ResolveChecked(command.DataDirectory)
    : DataDirectory.ResolveExisting(command.DataDirectory, mayCreateDefault: command.Kind == CommandKind.UserAdd);

static int Backup(CommandLine command)
{
    // A data directory that does not exist is named as such, as for 'user' and 'config check': "there is no history to
    // back up yet" read as "nothing to do" to a cron job pointed at a mistyped path (an operations audit, 2026-12-06).
    string data = DataDirectory.ResolveExisting(command.DataDirectory, mayCreateDefault: false);
    string? rooms = null;
    bool stale = false;
    long messages = HistoryBackup.Run(data, command.Target, beforePlacing: () =>
    {
        rooms = LanTalk.Server.Rooms.RoomsBackup.CopyBeside(data, command.Target);
        stale = rooms is null && LanTalk.Server.Rooms.RoomsBackup.RemoveStale(command.Target);
    });
    Console.WriteLine($"Backed up {messages} message(s) from {Path.Combine(data, "history.db")} to {Path.GetFullPath(command.Target)}");
    if (rooms is not null)
    {
        Console.WriteLine($"and the rooms and their members (Rooms.xml) to {rooms}: restore both together");
    }
    else
    {
        // Said, not left out: README's restore copies FILE.rooms.xml back, and a missing one looked like a failed backup.
        Console.WriteLine($"No Rooms.xml in {data} (no room but the default one exists yet), so there is no {Path.GetFullPath(command.Target)}{LanTalk.Server.Rooms.RoomsBackup.Suffix} to restore with it"
            + (stale ? "; the older one there, from an earlier backup, was removed" : string.Empty));
    }

    return ExitCodes.Ok;
}

static int Print(string text)
{
    Console.WriteLine(text.TrimEnd());
    return ExitCodes.Ok;
}

static int Fail(int code, string message)
{
    Console.Error.WriteLine($"lantalk-server: {message}");
    // Only a server run sets logging up: for it, the log file says why it stopped, as stderr does.
    LogSetup.RecordStartFailure(message);
    return code;
}
