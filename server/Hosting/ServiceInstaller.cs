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

        output.WriteLine("Enable and start it with:");
        output.WriteLine("  sudo systemctl daemon-reload && sudo systemctl enable --now lantalk");
        output.WriteLine("Then: systemctl status lantalk, journalctl -u lantalk -f");
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

        if (!File.Exists(unitPath))
        {
            errors.WriteLine($"lantalk-server: {unitPath} does not exist; nothing to uninstall");
            return ExitCodes.Failure;
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
