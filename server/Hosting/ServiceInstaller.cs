using System.Diagnostics;
using LanTalk.Server.Cli;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Hosting;

/// <summary>`service install` / `service uninstall`: a systemd unit on Linux, an SCM entry (sc.exe) on Windows.</summary>
internal static class ServiceInstaller
{
    public static int Install(CommandLine command, TextWriter output, TextWriter errors)
    {
        string dataDirectory = DataDirectory.ResolveChecked(command.DataDirectory, newTree: true);
        string exe = Environment.ProcessPath ?? throw new StartupException(ExitCodes.Failure, "cannot tell the path of this executable");
        if (OperatingSystem.IsWindows())
        {
            return RunAll(WindowsInstallCommands(exe, dataDirectory), command.DryRun, output, errors);
        }

        int port;
        try
        {
            port = SettingsFile.Load(dataDirectory).Settings.Port;
        }
        catch (SettingsException ex)
        {
            errors.WriteLine($"lantalk-server: settings: {ex.Message}");
            return ExitCodes.Usage;
        }

        string text;
        try
        {
            text = SystemdUnit.Render(new UnitSpec { ExecutablePath = exe, DataDirectory = dataDirectory, User = command.ServiceUser, Port = port });
        }
        catch (ArgumentException ex)
        {
            errors.WriteLine($"lantalk-server: {ex.Message}");
            return ExitCodes.Usage;
        }

        if (command.DryRun)
        {
            output.Write(text);
            return ExitCodes.Ok;
        }

        string unitPath = Path.GetFullPath(command.UnitPath ?? SystemdUnit.DefaultPath);
        if (Directory.Exists(unitPath))
        {
            errors.WriteLine($"lantalk-server: {unitPath} is a directory, not a unit file; give the file to write, for example --unit-path {Path.Combine(unitPath, "lantalk.service")}");
            return ExitCodes.Usage;
        }

        // Replacing our own earlier unit is what a second install is for; anything else is someone's work.
        if (ReadIfExists(unitPath) is { } existing && !SystemdUnit.IsOurs(existing))
        {
            errors.WriteLine($"lantalk-server: {unitPath} already exists and was not written by 'lantalk-server service install' (it lacks the line \"{SystemdUnit.Marker}\"), "
                + "so it is left as it is: move it away or remove it, then install again, or give another --unit-path");
            return ExitCodes.Usage;
        }

        try
        {
            File.WriteAllText(unitPath, text);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            errors.WriteLine($"lantalk-server: cannot write {unitPath}: {ex.Message}{(command.UnitPath is null ? " (run it with sudo)" : string.Empty)}");
            return ExitCodes.Failure;
        }

        output.WriteLine($"Wrote {unitPath}.");
        if (command.ServiceUser is { } user)
        {
            string quoted = Executable.Quote(dataDirectory);
            output.WriteLine($"The service runs as '{user}'. If that account does not exist yet:");
            output.WriteLine($"  sudo useradd --system --no-create-home --shell /usr/sbin/nologin {user}");
            // The directory and everything in it: a server first started by hand (as root, say) left Users.xml, the
            // TLS key and history.db owner-only, and a service that cannot read them exits 2 and is not restarted.
            // "USER:" is the account's own login group, whatever it is called (nobody's is nogroup on Debian).
            bool holdsFiles = Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any();
            output.WriteLine(holdsFiles
                ? $"{dataDirectory} already holds files: give them all to '{user}', or the service cannot read its own keys and history:"
                : "Its data directory, owned by it:");
            output.WriteLine($"  sudo install -d -m 0750 {quoted} && sudo chown -R {user}: {quoted}");
        }
        else
        {
            output.WriteLine("The service runs as root (hardened). A dedicated account is better: install again with --user USER.");
            if (Path.GetDirectoryName(dataDirectory) is { } parent && !Directory.Exists(parent))
            {
                // The server creates only the last directory of a path it is given (a typo guard, DataDirectory).
                output.WriteLine("Create its data directory first:");
                output.WriteLine($"  sudo install -d -m 0750 {Executable.Quote(dataDirectory)}");
            }
        }

        // systemctl knows the unit by its file name: chat.service is 'chat', not 'lantalk'.
        string name = SystemdUnit.ServiceName(unitPath);
        output.WriteLine("Enable and start it with:");
        output.WriteLine($"  sudo systemctl daemon-reload && sudo systemctl enable --now {name}");
        output.WriteLine($"Then: systemctl status {name}, journalctl -u {name} -f");
        // The 'user' commands find the data directory the same way the server does (--data, $LANTALK_DATA, Data/ beside
        // the executable), not from the unit: without the same --data they edit another Users.xml the service never reads.
        output.WriteLine($"Accounts: the 'user' commands need the same data directory, for example: lantalk-server user add NAME --data {Executable.Quote(dataDirectory)} (or LANTALK_DATA={Executable.Quote(dataDirectory)})");
        return ExitCodes.Ok;
    }

    public static int Uninstall(CommandLine command, TextWriter output, TextWriter errors)
    {
        if (OperatingSystem.IsWindows())
        {
            return RunAll([["stop", ServiceHost.ServiceName], ["delete", ServiceHost.ServiceName]], command.DryRun, output, errors, stopOnFailure: false);
        }

        string unitPath = Path.GetFullPath(command.UnitPath ?? SystemdUnit.DefaultPath);
        // With --unit-path the unit is not systemd's (tests, staging): leave systemctl alone.
        bool systemctl = command.UnitPath is null;
        if (Directory.Exists(unitPath))
        {
            errors.WriteLine($"lantalk-server: {unitPath} is a directory, not a unit file; nothing removed (give --unit-path the unit file itself)");
            return ExitCodes.Usage;
        }

        if (!File.Exists(unitPath))
        {
            errors.WriteLine($"lantalk-server: {unitPath} does not exist; nothing to uninstall");
            return ExitCodes.Failure;
        }

        string text;
        try
        {
            text = File.ReadAllText(unitPath);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            errors.WriteLine($"lantalk-server: cannot read {unitPath}: {ex.Message}{(systemctl ? " (run it with sudo)" : string.Empty)}");
            return ExitCodes.Failure;
        }

        // Only a unit this tool wrote is removed: a mistyped --unit-path must not delete whatever file it names.
        if (!SystemdUnit.IsOurs(text))
        {
            errors.WriteLine($"lantalk-server: {unitPath} was not written by 'lantalk-server service install' (it lacks the line \"{SystemdUnit.Marker}\"), "
                + $"so it is not removed. Check --unit-path; if it is a LanTalk unit after all, remove it yourself: sudo rm {Executable.Quote(unitPath)}");
            return ExitCodes.Usage;
        }

        // After the checks, so a dry run of a mistyped --unit-path says what the real run would: nothing removed.
        if (command.DryRun)
        {
            if (systemctl)
            {
                output.WriteLine("systemctl disable --now lantalk");
            }

            output.WriteLine($"rm {unitPath}");
            if (systemctl)
            {
                output.WriteLine("systemctl daemon-reload");
            }

            return ExitCodes.Ok;
        }

        if (systemctl)
        {
            Run("systemctl", ["disable", "--now", "lantalk"], output, errors);
        }

        try
        {
            File.Delete(unitPath);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            errors.WriteLine($"lantalk-server: cannot remove {unitPath}: {ex.Message}{(systemctl ? " (run it with sudo)" : string.Empty)}");
            return ExitCodes.Failure;
        }

        output.WriteLine($"Removed {unitPath}. The data directory was left alone.");
        if (systemctl)
        {
            Run("systemctl", ["daemon-reload"], output, errors);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The file's text, or null when there is none (or it cannot be read, which the write then reports).</summary>
    private static string? ReadIfExists(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    /// <summary>sc.exe wants "name= value" as two arguments, the space after '=' included.</summary>
    public static IReadOnlyList<string[]> WindowsInstallCommands(string exe, string dataDirectory) =>
    [
        ["create", ServiceHost.ServiceName, "binPath=", $"\"{exe}\" service run --data \"{dataDirectory}\"", "start=", "auto", "DisplayName=", "LanTalk chat server"],
        ["description", ServiceHost.ServiceName, "LanTalk LAN chat server (lantalk-server)"],
        // Restart after 5 s on a crash, the Windows counterpart of Restart=on-failure.
        ["failure", ServiceHost.ServiceName, "reset=", "86400", "actions=", "restart/5000/restart/5000/restart/5000"],
    ];

    private static int RunAll(IReadOnlyList<string[]> commands, bool dryRun, TextWriter output, TextWriter errors, bool stopOnFailure = true)
    {
        foreach (var arguments in commands)
        {
            if (dryRun)
            {
                output.WriteLine("sc.exe " + string.Join(' ', arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : a)));
                continue;
            }

            if (!Run("sc.exe", arguments, output, errors) && stopOnFailure)
            {
                errors.WriteLine("lantalk-server: sc.exe failed; run this from an elevated (administrator) prompt");
                return ExitCodes.Failure;
            }
        }

        if (!dryRun && commands.Count > 0 && commands[0][0] == "create")
        {
            output.WriteLine($"Service '{ServiceHost.ServiceName}' created. Start it with: sc.exe start {ServiceHost.ServiceName}");
        }

        return ExitCodes.Ok;
    }

    private static bool Run(string program, IEnumerable<string> arguments, TextWriter output, TextWriter errors)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            errors.WriteLine($"lantalk-server: cannot run {program}: {ex.Message}");
            return false;
        }
    }
}
