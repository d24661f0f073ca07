using System.Globalization;
using System.Net;
using LanTalk.Core.Cli;

namespace LanTalk.Server.Cli;

/// <summary>The server's commands and options; the word-splitting rules are the shared <see cref="ArgTokenizer"/>.</summary>
public static class CliParser
{
    // Which options each command accepts; anything else is an error that names the command's help.
    private static readonly string[] s_runOptions = ["--data", "--port", "--listen", "--plaintext"];

    private static readonly Dictionary<CommandKind, string[]> s_allowed = new()
    {
        [CommandKind.Run] = s_runOptions,
        [CommandKind.ServiceRun] = s_runOptions,
        [CommandKind.ServiceInstall] = ["--data", "--user", "--unit-path", "--dry-run"],
        [CommandKind.ServiceUninstall] = ["--unit-path", "--dry-run"],
        [CommandKind.UserAdd] = ["--data", "--password-stdin"],
        [CommandKind.UserList] = ["--data"],
        [CommandKind.UserRemove] = ["--data"],
        [CommandKind.UserPasswd] = ["--data", "--password-stdin"],
        [CommandKind.UserAddTestUsers] = ["--data", "--password-stdin", "--prefix", "--count", "--iterations"],
        [CommandKind.ConfigShowDefaults] = [],
        [CommandKind.ConfigCheck] = ["--data"],
        [CommandKind.Backup] = ["--data"],
        [CommandKind.HistoryBench] = ["--data", "--count", "--writers", "--print-acks"],
        [CommandKind.Help] = [],
        [CommandKind.Version] = [],
    };

    private static readonly Func<string, (string Name, OptionKind Kind)?> s_options = ArgTokenizer.Table(
        ("--help", "-h", OptionKind.Flag),
        ("--version", "-V", OptionKind.Flag),
        ("--service", null, OptionKind.Flag),
        ("--data", null, OptionKind.Value),
        ("--port", null, OptionKind.Value),
        ("--listen", null, OptionKind.Value),
        ("--user", null, OptionKind.Value),
        ("--unit-path", null, OptionKind.Value),
        ("--prefix", null, OptionKind.Value),
        ("--count", null, OptionKind.Value),
        ("--iterations", null, OptionKind.Value),
        ("--writers", null, OptionKind.Value),
        ("--plaintext", null, OptionKind.Flag),
        ("--password-stdin", null, OptionKind.Flag),
        ("--dry-run", null, OptionKind.Flag),
        ("--print-acks", null, OptionKind.Flag));

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one line.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out CommandLine command, out string error)
    {
        command = new CommandLine();
        if (!ArgTokenizer.TryTokenize(args, s_options, out var tokens, out var positional, out error, " (see lantalk-server --help)"))
        {
            return false;
        }

        bool help = tokens.Any(t => t.Name == "--help");
        bool version = tokens.Any(t => t.Name == "--version");
        bool service = tokens.Any(t => t.Name == "--service");
        var options = tokens.Where(t => t.Name is not ("--help" or "--version" or "--service")).Select(t => (t.Name, t.Value)).ToList();

        if (!TryVerb(positional, service, out var kind, out int used, out error))
        {
            // "lantalk-server user --help" asks for the group's help rather than naming a subcommand.
            if (help && positional[0] is "user" or "service" or "config" or "history")
            {
                command = new CommandLine { Kind = CommandKind.Help, HelpTopic = positional[0] };
                error = string.Empty;
                return true;
            }

            return false;
        }

        string topic = Topic(kind);
        if (version)
        {
            command = new CommandLine { Kind = CommandKind.Version };
            return true;
        }

        if (help || kind == CommandKind.Help)
        {
            command = new CommandLine { Kind = CommandKind.Help, HelpTopic = kind == CommandKind.Help ? string.Join(' ', positional.Skip(1)) : topic };
            return true;
        }

        command = new CommandLine { Kind = kind };
        foreach (var (name, value) in options)
        {
            if (!s_allowed[kind].Contains(name))
            {
                error = $"{name} does not apply to '{Display(topic)}' (see lantalk-server {topic} --help)".Replace("  ", " ", StringComparison.Ordinal);
                return false;
            }

            if (!TryApply(command, name, value!, out command, out error))
            {
                return false;
            }
        }

        return TryPositionals(command, positional.Skip(used).ToList(), topic, out command, out error)
            && TryRequired(command, out error);
    }

    private static string Display(string topic) => topic.Length == 0 ? "lantalk-server" : topic;

    private static bool TryVerb(List<string> p, bool service, out CommandKind kind, out int used, out string error)
    {
        error = string.Empty;
        used = 0;
        kind = service ? CommandKind.ServiceRun : CommandKind.Run;
        if (p.Count == 0)
        {
            return true;
        }

        string first = p[0];
        string second = p.Count > 1 ? p[1] : string.Empty;
        (kind, used) = (first, second) switch
        {
            ("run", _) => (CommandKind.Run, 1),
            ("help", _) => (CommandKind.Help, p.Count),
            ("service", "run") => (CommandKind.ServiceRun, 2),
            ("service", "install") => (CommandKind.ServiceInstall, 2),
            ("service", "uninstall") => (CommandKind.ServiceUninstall, 2),
            ("user", "add") => (CommandKind.UserAdd, 2),
            ("user", "list") => (CommandKind.UserList, 2),
            ("user", "remove") => (CommandKind.UserRemove, 2),
            ("user", "passwd") => (CommandKind.UserPasswd, 2),
            ("user", "add-test-users") => (CommandKind.UserAddTestUsers, 2),
            ("config", "show-defaults") => (CommandKind.ConfigShowDefaults, 2),
            ("config", "check") => (CommandKind.ConfigCheck, 2),
            ("backup", _) => (CommandKind.Backup, 1),
            ("history", "bench") => (CommandKind.HistoryBench, 2),
            _ => (CommandKind.Help, -1),
        };
        if (used >= 0)
        {
            return true;
        }

        error = first is "service" or "user" or "config" or "history"
            ? (second.Length == 0 ? $"'{first}' needs a subcommand" : $"unknown command '{first} {second}'") + $" (see lantalk-server {first} --help)"
            : $"unknown command '{first}' (see lantalk-server --help)";
        return false;
    }

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
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
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
