using System.Globalization;
using System.Net;
using LanTalk.Core.Cli;

namespace LanTalk.Server.Cli;

/// <summary>
/// Turns lantalk-server's arguments into a <see cref="CommandLine"/>. System.CommandLine (<see cref="CommandTree"/>,
/// <see cref="ParsedArgs"/>) matches the words to commands and options; this class checks the values and words every
/// error itself, naming the option and the fix, because the contract (README) is our texts and exit code 2.
/// </summary>
public static class CliParser
{
    private const string Hint = " (see lantalk-server --help)";

    private static readonly CommandTree s_tree = new();

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one line.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out CommandLine command, out string error)
    {
        command = new CommandLine();
        var parsed = new ParsedArgs(s_tree.Root, args);
        var leaf = parsed.Leaf.Command;
        var kind = leaf == s_tree.Root && parsed.Given("--service") ? CommandKind.ServiceRun : s_tree.KindOf(leaf);
        string topic = parsed.Path;
        if (parsed.SyntaxError(CommandTree.Options, Hint) is { } syntax)
        {
            error = syntax;
            return false;
        }

        error = string.Empty;
        if (parsed.Given("--version"))
        {
            command = new CommandLine { Kind = CommandKind.Version };
            return true;
        }

        bool help = parsed.Given("--help");
        if (kind is null || (leaf == s_tree.Root && parsed.StrayWords.Count > 0))
        {
            // "lantalk-server user --help" asks for the group's help rather than naming a subcommand.
            if (help && kind is null)
            {
                command = new CommandLine { Kind = CommandKind.Help, HelpTopic = topic };
                return true;
            }

            error = parsed.StrayWords.Count == 0 ? $"'{topic}' needs a subcommand (see lantalk-server {topic} --help)"
                : kind is null ? $"unknown command '{topic} {parsed.StrayWords[0]}' (see lantalk-server {topic} --help)"
                : $"unknown command '{parsed.StrayWords[0]}'{Hint}";
            return false;
        }

        if (help || kind == CommandKind.Help)
        {
            command = new CommandLine { Kind = CommandKind.Help, HelpTopic = kind == CommandKind.Help ? string.Join(' ', parsed.Arguments) : Topic(kind.Value) };
            return true;
        }

        command = new CommandLine { Kind = kind.Value };
        topic = Topic(kind.Value);
        if (parsed.StrayOptions.FirstOrDefault() is { } notHere)
        {
            error = NotHere(CommandTree.Options.Find(ParsedArgs.Name(notHere))!.Value.Name, topic);
            return false;
        }

        foreach (var (name, value, _) in parsed.Options().Where(o => o.Name is not ("--help" or "--version" or "--service")))
        {
            if (!leaf.Options.Any(o => o.Name == name))
            {
                error = NotHere(name, topic);
                return false;
            }

            if (!TryApply(command, name, value!, out command, out error))
            {
                return false;
            }
        }

        if (!TryPositionals(command, [.. parsed.Arguments, .. parsed.StrayWords], topic, out command, out error) || !TryRequired(command, out error))
        {
            return false;
        }

        // Anything else System.CommandLine found wrong, in its words, with where to look.
        if (parsed.Errors.FirstOrDefault() is { } other)
        {
            error = other.Message.TrimEnd('.') + Hint;
            return false;
        }

        return true;
    }

    private static string NotHere(string name, string topic) =>
        $"{name} does not apply to '{Display(topic)}' (see lantalk-server {topic} --help)".Replace("  ", " ", StringComparison.Ordinal);

    private static string Display(string topic) => topic.Length == 0 ? "lantalk-server" : topic;

    private static bool TryApply(CommandLine c, string name, string value, out CommandLine result, out string error)
    {
        error = string.Empty;
        result = c;
        switch (name)
        {
            case "--data":
                result = c with { DataDirectory = value };
                return true;
            case "--port":
                // Read as <Port> in Settings.xml is (surrounding spaces and a leading '+' allowed), so a value that
                // works in the file works here: "+8001" was refused here and taken there (a settings audit, 2026-12-06).
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) || port is < 0 or > 65535)
                {
                    error = $"--port '{value}' is not a port number (0 to 65535; 0 picks a free port)";
                    return false;
                }

                result = c with { Port = port };
                return true;
            case "--listen":
                if (!IPAddress.TryParse(value, out var address))
                {
                    error = $"--listen '{value}' is not an IP address (for example 127.0.0.1, 0.0.0.0 or ::)";
                    return false;
                }

                result = c with { ListenAddress = address };
                return true;
            case "--plaintext":
                result = c with { Plaintext = true };
                return true;
            case "--password-stdin":
                result = c with { PasswordFromStdin = true };
                return true;
            case "--dry-run":
                result = c with { DryRun = true };
                return true;
            case "--replace":
                result = c with { Replace = true };
                return true;
            case "--print-acks":
                result = c with { PrintAcks = true };
                return true;
            case "--writers":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int writers) || writers < 1 || writers > 100_000)
                {
                    error = $"--writers '{value}' is not a whole number from 1 to 100000";
                    return false;
                }

                result = c with { Writers = writers };
                return true;
            case "--user":
                result = c with { ServiceUser = value };
                return true;
            case "--unit-path":
                result = c with { UnitPath = value };
                return true;
            case "--prefix":
                result = c with { Prefix = value };
                return true;
            case "--count" or "--iterations":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 10_000_000)
                {
                    error = $"{name} '{value}' is not a whole number from 1 to 10000000";
                    return false;
                }

                result = name == "--count" ? c with { Count = n } : c with { Iterations = n };
                return true;
            default:
                error = $"unknown option '{name}'";
                return false;
        }
    }

    private static bool TryPositionals(CommandLine c, List<string> rest, string topic, out CommandLine result, out string error)
    {
        error = string.Empty;
        result = c;
        int expected = c.Kind switch
        {
            CommandKind.UserAdd or CommandKind.UserRemove or CommandKind.UserPasswd or CommandKind.Backup => 1,
            CommandKind.ConfigShowDefaults => rest.Count > 0 ? 1 : 0,
            _ => 0,
        };
        if (rest.Count > expected)
        {
            error = $"unexpected argument '{rest[expected]}' (see lantalk-server {topic} --help)".Replace("  ", " ", StringComparison.Ordinal);
            return false;
        }

        if (rest.Count < expected && c.Kind == CommandKind.Backup)
        {
            error = "'backup' needs the file to write, for example: lantalk-server backup /var/backups/lantalk-history.db";
            return false;
        }

        if (rest.Count < expected)
        {
            error = $"'{topic}' needs a user name, for example: lantalk-server {topic} alice";
            return false;
        }

        if (c.Kind == CommandKind.ConfigShowDefaults && rest.Count == 1)
        {
            if (rest[0] is not ("settings" or "nlog" or "all"))
            {
                error = $"config show-defaults takes settings, nlog or all, not '{rest[0]}'";
                return false;
            }

            result = c with { Which = rest[0] };
        }
        else if (c.Kind == CommandKind.Backup)
        {
            result = c with { Target = rest[0] };
        }
        else if (expected == 1)
        {
            result = c with { UserName = rest[0] };
        }

        return true;
    }

    private static bool TryRequired(CommandLine c, out string error)
    {
        error = string.Empty;
        if (c.Kind == CommandKind.HistoryBench && c.DataDirectory is null)
        {
            error = "history bench writes test messages: give it a throw-away directory with --data DIR";
            return false;
        }

        if (c.Kind == CommandKind.UserAddTestUsers)
        {
            if (c.Prefix.Length == 0 || c.Count == 0)
            {
                error = "user add-test-users needs --prefix P and --count N (see lantalk-server user add-test-users --help)";
                return false;
            }

            if (!c.PasswordFromStdin)
            {
                error = "user add-test-users reads the shared password from standard input: add --password-stdin";
                return false;
            }
        }

        return true;
    }

    /// <summary>The words that name a command in help texts: "user add", "service install", or "" for the server itself.</summary>
    public static string Topic(CommandKind kind) => kind switch
    {
        CommandKind.ServiceRun => "service run",
        CommandKind.ServiceInstall => "service install",
        CommandKind.ServiceUninstall => "service uninstall",
        CommandKind.UserAdd => "user add",
        CommandKind.UserList => "user list",
        CommandKind.UserRemove => "user remove",
        CommandKind.UserPasswd => "user passwd",
        CommandKind.UserAddTestUsers => "user add-test-users",
        CommandKind.ConfigShowDefaults => "config show-defaults",
        CommandKind.ConfigCheck => "config check",
        CommandKind.Backup => "backup",
        CommandKind.HistoryBench => "history bench",
        _ => string.Empty,
    };
}
