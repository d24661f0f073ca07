using System.Diagnostics;
using System.Text;
using LanTalk.Server.Cli;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Hosting;

/// <summary>`service install` / `service uninstall`: a systemd unit on Linux, an SCM entry (sc.exe) on Windows.</summary>
internal static class ServiceInstaller
{
    /// <summary>ERROR_SERVICE_EXISTS, sc.exe's exit code when the service is already installed.</summary>
    private const int ServiceExists = 1073;

    /// <summary>ERROR_SERVICE_DOES_NOT_EXIST, sc.exe's exit code when there is no such service.</summary>
    private const int ServiceDoesNotExist = 1060;

    /// <summary>The exit code <see cref="Run"/> gives when the program could not be started at all (it said why).</summary>
    private const int CannotRun = -1;

    public static int Install(CommandLine command, TextWriter output, TextWriter errors)
    {
        string dataDirectory = DataDirectory.ResolveChecked(command.DataDirectory, newTree: true);
        string exe = Environment.ProcessPath ?? throw new StartupException(ExitCodes.Failure, "cannot tell the path of this executable");
        if (OperatingSystem.IsWindows())
        {
            return WindowsInstall(WindowsInstallCommands(exe, dataDirectory), command.DryRun, output, errors, arguments => Run("sc.exe", arguments, errors));
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
            // `chown -R` acts on a symbolic link given to it, not on what it leads to (-P is its default), so for a
            // linked data directory the command names the real one: the link's alone left every file root's.
            string owned = LinkedDirectory(dataDirectory) ?? dataDirectory;
            string quoted = Executable.Quote(owned);
            output.WriteLine($"The service runs as '{user}'. If that account does not exist yet:");
            output.WriteLine($"  sudo useradd --system --no-create-home --shell /usr/sbin/nologin {user}");
            // The directory and everything in it: a server first started by hand (as root, say) left Users.xml, the
            // TLS key and history.db owner-only, and a service that cannot read them exits 2 and is not restarted.
            // "USER:" is the account's own login group, whatever it is called (nobody's is nogroup on Debian).
            bool holdsFiles = Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any();
            output.WriteLine(holdsFiles
                ? $"{dataDirectory} already holds files: give them all to '{user}', or the service cannot read its own keys and history:"
                : "Its data directory, owned by it:");
            if (owned != dataDirectory)
            {
                output.WriteLine($"  ({dataDirectory} is a symbolic link to {owned}: chown -R would change only the link, so this names {owned})");
            }

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

    /// <summary>The directory <paramref name="path"/> leads to when it is itself a symbolic link (to a directory), else null.</summary>
    private static string? LinkedDirectory(string path)
    {
        try
        {
            return new DirectoryInfo(path).LinkTarget is null ? null
                : Directory.ResolveLinkTarget(path, returnFinalTarget: true) is { Exists: true } target ? target.FullName : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static int Uninstall(CommandLine command, TextWriter output, TextWriter errors)
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsUninstall(command.DryRun, output, errors, arguments => Run("sc.exe", arguments, errors));
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
            Run("systemctl", ["disable", "--now", "lantalk"], errors);
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
            Run("systemctl", ["daemon-reload"], errors);
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
        // The program name is read by the SCM, which takes it between the quotes as it is; --data's value is read by
        // the C runtime's argument parser in the service, hence QuoteWindowsArgument.
        ["create", ServiceHost.ServiceName, "binPath=", $"\"{exe}\" service run --data {QuoteWindowsArgument(dataDirectory)}", "start=", "auto", "DisplayName=", "LanTalk chat server"],
        ["description", ServiceHost.ServiceName, "LanTalk LAN chat server (lantalk-server)"],
        // Restart after 5 s on a crash, the Windows counterpart of Restart=on-failure.
        ["failure", ServiceHost.ServiceName, "reset=", "86400", "actions=", "restart/5000/restart/5000/restart/5000"],
    ];

    /// <summary>
    /// One argument of a Windows command line, quoted so that the C runtime's parser (and CommandLineToArgvW) gives it
    /// back unchanged: a backslash is literal except in a run that ends at a quote, so such a run is doubled. Quoted
    /// as "DIR\", `service install --data C:\LanTalk\Data\` gave the service C:\LanTalk\Data" (the last backslash
    /// escaped the closing quote), and the service never started ("Invalid name", seen under Wine's SCM).
    /// </summary>
    public static string QuoteWindowsArgument(string argument)
    {
        var quoted = new StringBuilder("\"");
        int backslashes = 0;
        foreach (char c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            // Before a quote: each backslash doubled, and one more for the quote itself; elsewhere they stay as they are.
            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }

    /// <summary>
    /// Runs the sc.exe commands of <see cref="WindowsInstallCommands"/> through <paramref name="sc"/> (the arguments
    /// to an exit code; sc.exe's is the Windows error code), stopping at the first that fails.
    /// </summary>
    internal static int WindowsInstall(IReadOnlyList<string[]> commands, bool dryRun, TextWriter output, TextWriter errors, Func<string[], int> sc)
    {
        if (dryRun)
        {
            PrintScCommands(commands, output);
            return ExitCodes.Ok;
        }

        foreach (var arguments in commands)
        {
            int code = sc(arguments);
            if (code == ServiceExists)
            {
                errors.WriteLine($"lantalk-server: the service '{ServiceHost.ServiceName}' already exists; remove it first with 'lantalk-server service uninstall', then install again");
                return ExitCodes.Failure;
            }

            if (code != 0)
            {
                errors.WriteLine($"lantalk-server: sc.exe {arguments[0]} failed{ExitCodeText(code)}; run this from an elevated (administrator) prompt");
                return ExitCodes.Failure;
            }
        }

        output.WriteLine($"Service '{ServiceHost.ServiceName}' created. Start it with: sc.exe start {ServiceHost.ServiceName}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// sc.exe stop, then sc.exe delete. The stop may fail (a service that is not running cannot be stopped); the
    /// delete is the command: its failure used to be ignored too, so uninstall said nothing and exited 0 with no
    /// service to remove or from a prompt that was not elevated, and the service stayed.
    /// </summary>
    internal static int WindowsUninstall(bool dryRun, TextWriter output, TextWriter errors, Func<string[], int> sc)
    {
        string[] stop = ["stop", ServiceHost.ServiceName];
        string[] delete = ["delete", ServiceHost.ServiceName];
        if (dryRun)
        {
            PrintScCommands([stop, delete], output);
            return ExitCodes.Ok;
        }

        sc(stop);
        int code = sc(delete);
        if (code == ServiceDoesNotExist)
        {
            errors.WriteLine($"lantalk-server: there is no service '{ServiceHost.ServiceName}'; nothing to uninstall");
            return ExitCodes.Failure;
        }

        if (code != 0)
        {
            errors.WriteLine($"lantalk-server: sc.exe delete {ServiceHost.ServiceName} failed{ExitCodeText(code)}; run this from an elevated (administrator) prompt, "
                + $"and check that the service exists: sc.exe query {ServiceHost.ServiceName}");
            return ExitCodes.Failure;
        }

        output.WriteLine($"Service '{ServiceHost.ServiceName}' removed. The data directory was left alone.");
        return ExitCodes.Ok;
    }

    private static string ExitCodeText(int code) => code == CannotRun ? string.Empty : $" (exit code {code})";

    /// <summary>The commands as they can be typed at a prompt.</summary>
    private static void PrintScCommands(IEnumerable<string[]> commands, TextWriter output)
    {
        foreach (var arguments in commands)
        {
            output.WriteLine("sc.exe " + string.Join(' ', arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Contains('"', StringComparison.Ordinal) ? QuoteWindowsArgument(a) : a)));
        }
    }

    /// <summary>Runs a program with inherited output; its exit code, or <see cref="CannotRun"/> when it could not be started.</summary>
    private static int Run(string program, IEnumerable<string> arguments, TextWriter errors)
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
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            errors.WriteLine($"lantalk-server: cannot run {program}: {ex.Message}");
            return CannotRun;
        }
    }
}
