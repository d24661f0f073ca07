using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using LanTalk.Core.Cli;

namespace LanTalk.Server.Cli;

/// <summary>
/// Turns lantalk-server's arguments into a <see cref="CommandLine"/>. System.CommandLine (<see cref="CommandTree"/>)
/// matches the words to commands and options; this class checks the values and words every error itself, naming the
/// option and the fix, because the contract (README) is our texts and exit code 2, not the library's.
/// </summary>
public static class CliParser
{
    private const string Hint = " (see lantalk-server --help)";

    private static readonly CommandTree s_tree = new();

    // No @file response files (an argument may start with '@'), no -abc bundling: the rules the other tools share.
    private static readonly ParserConfiguration s_parser = new() { ResponseFileTokenReplacer = null, EnablePosixBundling = false };

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one line.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out CommandLine command, out string error)
    {
        command = new CommandLine();
        var result = s_tree.Root.Parse(args, s_parser);
        int endOfOptions = IndexOf(args, "--");
        var leaf = result.CommandResult;
        var kind = leaf.Command == s_tree.Root && Given(leaf, "--service") ? CommandKind.ServiceRun : s_tree.KindOf(leaf.Command);
        string topic = Path(leaf);
        var arguments = CommandTree.ArgumentsOf(leaf.Command) is { } argument ? result.GetValue(argument) ?? [] : [];
        var strayOptions = new List<string>();
        var strayWords = new List<string>();
        foreach (string word in result.UnmatchedTokens)
        {
            (LooksLikeOption(word, args, endOfOptions) ? strayOptions : strayWords).Add(word);
        }

        // Words System.CommandLine took as arguments because it has no option by that name.
        strayOptions.AddRange(arguments.Where(a => LooksLikeOption(a, args, endOfOptions)));
        if (TryOptionSyntax(args, endOfOptions, strayOptions, out error) is false || TryValuesPresent(leaf, out error) is false)
        {
            return false;
        }

        bool help = Given(leaf, "--help");
        if (Given(leaf, "--version"))
        {
            command = new CommandLine { Kind = CommandKind.Version };
            return true;
        }

        if (kind is null || (leaf.Command == s_tree.Root && strayWords.Count > 0))
        {
            // "lantalk-server user --help" asks for the group's help rather than naming a subcommand.
            if (help && kind is null)
            {
                command = new CommandLine { Kind = CommandKind.Help, HelpTopic = topic };
                error = string.Empty;
                return true;
            }

            error = strayWords.Count == 0 ? $"'{topic}' needs a subcommand (see lantalk-server {topic} --help)"
                : kind is null ? $"unknown command '{topic} {strayWords[0]}' (see lantalk-server {topic} --help)"
                : $"unknown command '{strayWords[0]}'{Hint}";
            return false;
        }

        if (help || kind == CommandKind.Help)
        {
            command = new CommandLine { Kind = CommandKind.Help, HelpTopic = kind == CommandKind.Help ? string.Join(' ', arguments) : Topic(kind.Value) };
            return true;
        }

        command = new CommandLine { Kind = kind.Value };
        topic = Topic(kind.Value);
        if (strayOptions.FirstOrDefault() is { } notHere)
        {
            error = NotHere(CommandTree.Find(Name(notHere))!.Value.Name, topic);
            return false;
        }

        foreach (var (name, value) in Options(leaf))
        {
            if (!leaf.Command.Options.Any(o => o.Name == name))
            {
                error = NotHere(name, topic);
                return false;
            }

            if (!TryApply(command, name, value!, out command, out error))
            {
                return false;
            }
        }

        var positional = arguments.Concat(strayWords).ToList();
        if (!TryPositionals(command, positional, topic, out command, out error) || !TryRequired(command, out error))
        {
            return false;
        }

        // Anything else System.CommandLine found wrong (an option given twice), in its words, with where to look.
        if (result.Errors.Count > 0)
        {
            error = result.Errors[0].Message.TrimEnd('.') + Hint;
            return false;
        }

        return true;
    }

    private static string NotHere(string name, string topic) =>
        $"{name} does not apply to '{Display(topic)}' (see lantalk-server {topic} --help)".Replace("  ", " ", StringComparison.Ordinal);

    private static string Display(string topic) => topic.Length == 0 ? "lantalk-server" : topic;

    private static int IndexOf(IReadOnlyList<string> args, string word)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == word)
            {
                return i;
            }
        }

        return args.Count;
    }

    // "-x" or "--name[=value]" before any "--"; a lone "-" is an argument.
    private static bool LooksLikeOption(string word, IReadOnlyList<string> args, int endOfOptions) =>
        word.Length > 1 && word[0] == '-' && IndexOf(args, word) < endOfOptions;

    private static string Name(string typed) =>
        typed.StartsWith("--", StringComparison.Ordinal) && typed.IndexOf('=', StringComparison.Ordinal) is > 2 and int equals ? typed[..equals] : typed;

    /// <summary>Unknown option names, and values given to flags ("--dry-run=yes").</summary>
    private static bool TryOptionSyntax(IReadOnlyList<string> args, int endOfOptions, List<string> strayOptions, out string error)
    {
        error = string.Empty;
        for (int i = 0; i < endOfOptions; i++)
        {
            string name = Name(args[i]);
            if (name.Length < args[i].Length && CommandTree.Find(name) is { Kind: OptionKind.Flag })
            {
                error = $"{name} takes no value";
                return false;
            }
        }

        foreach (string word in strayOptions)
        {
            if (CommandTree.Find(Name(word)) is null)
            {
                error = $"unknown option '{Name(word)}'{Hint}";
                return false;
            }
        }

        return true;
    }

    /// <summary>An option that needs a value and was given none ("--data" last, or followed by another option).</summary>
    private static bool TryValuesPresent(CommandResult leaf, out string error)
    {
        error = string.Empty;
        for (SymbolResult? at = leaf; at is CommandResult command; at = command.Parent)
        {
            foreach (var option in command.Children.OfType<OptionResult>())
            {
                if (option.Option.Arity.MinimumNumberOfValues > 0 && option.Tokens.Count == 0 && !option.Implicit)
                {
                    error = $"{option.IdentifierToken?.Value ?? option.Option.Name} needs a value";
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Given(CommandResult leaf, string name)
    {
        for (SymbolResult? at = leaf; at is CommandResult command; at = command.Parent)
        {
            if (command.Children.OfType<OptionResult>().Any(o => o.Option.Name == name && !o.Implicit))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The options given, from the tool's own (before the command) to the command's; the last value wins.</summary>
    private static IEnumerable<(string Name, string? Value)> Options(CommandResult leaf)
    {
        var chain = new List<CommandResult>();
        for (SymbolResult? at = leaf; at is CommandResult command; at = command.Parent)
        {
            chain.Insert(0, command);
        }

        return chain.SelectMany(c => c.Children.OfType<OptionResult>())
            .Where(o => !o.Implicit && o.Option.Name is not ("--help" or "--version" or "--service"))
            .Select(o => (o.Option.Name, o.Tokens.Count == 0 ? null : o.Tokens[^1].Value));
    }

    /// <summary>The command's words: "user add", "user", or "" for the tool itself.</summary>
    private static string Path(CommandResult leaf)
    {
        var words = new List<string>();
        for (SymbolResult? at = leaf; at is CommandResult command && command.Parent is not null; at = command.Parent)
        {
            words.Insert(0, command.Command.Name);
        }

        return string.Join(' ', words);
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
