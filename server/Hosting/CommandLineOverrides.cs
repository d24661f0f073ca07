using LanTalk.Server.Cli;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Hosting;

/// <summary>
/// --port, --listen and --plaintext win over Settings.xml for one run. Settings.xml's own cross-checks ran before
/// they applied, so a file that is fine alone can clash with them (--plaintext with an IrcTlsPort, which needs the
/// certificate that --plaintext leaves unloaded): the clash is checked here, after they apply, and named with both
/// the element and the option, so it stops the start with one line and exit 2 instead of an exception in the listener.
/// </summary>
internal static class CommandLineOverrides
{
    public static ServerSettings Apply(ServerSettings settings, CommandLine command) => settings with
    {
        Port = command.Port ?? settings.Port,
        ListenAddress = command.ListenAddress ?? settings.ListenAddress,
        TlsMode = command.Plaintext ? TlsMode.Off : settings.TlsMode,
    };

    /// <summary>
    /// The first problem the options make with the file's values, or null. <paramref name="settingsFile"/> is
    /// Settings.xml's path, or null when the server runs on the built-in defaults.
    /// </summary>
    public static string? Problem(ServerSettings fromFile, CommandLine command, string? settingsFile)
    {
        var effective = Apply(fromFile, command);
        string source = settingsFile ?? "the built-in defaults";
        // The generic cross-check would advise <TlsMode>Required</TlsMode>, which --plaintext overrides again.
        if (command.Plaintext && effective.IrcTlsPort >= 0)
        {
            return $"{source}: <IrcTlsPort> is {effective.IrcTlsPort}, and IRC over TLS needs the server's certificate, which --plaintext turns off; "
                + "set <IrcTlsPort>-1</IrcTlsPort> in Settings.xml, or run without --plaintext";
        }

        var fileProblems = SettingRules.CrossChecks(fromFile).Where(c => c.Problem is not null).Select(c => c.Problem).ToHashSet();
        foreach (var (_, _, problem) in SettingRules.CrossChecks(effective))
        {
            if (problem is not null && !fileProblems.Contains(problem))
            {
                return $"{source} with {Options(command)} from the command line: {problem}; change Settings.xml or the command line";
            }
        }

        return null;
    }

    private static string Options(CommandLine command)
    {
        var options = new List<string>();
        if (command.Port is { } port)
        {
            options.Add($"--port {port}");
        }

        if (command.ListenAddress is { } address)
        {
            options.Add($"--listen {address}");
        }

        if (command.Plaintext)
        {
            options.Add("--plaintext");
        }

        return string.Join(" ", options);
    }
}
