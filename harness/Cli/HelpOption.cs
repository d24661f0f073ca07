using System.Reflection;

namespace LanTalk.Harness.Cli;

/// <summary>
/// --help, -h and --version, wherever they stand before a "--": answered before the command reads its options, because
/// its reader takes every other "--name" as an option with a value ("load --help" said "--help needs a value").
/// </summary>
internal static class HelpOption
{
    /// <summary>The version and commit ("2.0.0+&lt;sha&gt;" when built with SourceRevisionId).</summary>
    public static string VersionLine
    {
        get
        {
            string informational = typeof(HelpOption).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            string commit = informational.Split('+') is [_, var sha, ..] && sha.Length > 0 ? sha : "unknown";
            return $"lantalk-harness {informational.Split('+')[0]} (commit {commit}, .NET {Environment.Version})";
        }
    }

    /// <summary>
    /// What to print for <paramref name="args"/> (the whole command line) when it asks for help or the version, or null
    /// when it asks for neither. "help load" and "load --help" give load's help; "help" with a command the harness lacks,
    /// the overview; "nosuch --help" is left to the command switch, which names the unknown command (exit 2).
    /// </summary>
    public static string? Reply(IReadOnlyList<string> args)
    {
        var options = args.TakeWhile(a => a != "--").ToList();
        if (options.Contains("--version"))
        {
            return VersionLine;
        }

        string command = args.Count > 0 ? args[0] : "help";
        if (command is "help" or "--help" or "-h")
        {
            return args.Count > 1 ? Usage.For(args[1]) ?? Usage.Text : Usage.Text;
        }

        return options.Contains("--help") || options.Contains("-h") ? Usage.For(command) : null;
    }
}
