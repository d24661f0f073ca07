using LanTalk.Core.Cli;

namespace LanTalk.Client.Cli;

/// <summary>The client's commands and options; the word-splitting rules are the shared <see cref="ArgTokenizer"/>.</summary>
internal static partial class CliParser
{
    private static readonly Func<string, (string Name, OptionKind Kind)?> s_options = ArgTokenizer.Table(
        ("--help", "-h", OptionKind.Flag),
        ("--version", "-V", OptionKind.Flag),
        ("--server", "-s", OptionKind.Value),
        ("--user", "-u", OptionKind.Value),
        ("--to", "-t", OptionKind.Value),
        ("--trust", null, OptionKind.Value),
        ("--password-stdin", null, OptionKind.Flag),
        ("--plaintext", null, OptionKind.Flag),
        ("--color", null, OptionKind.Flag),
        ("--no-color", null, OptionKind.Flag),
        ("--seconds", null, OptionKind.Flag),
        ("--no-seconds", null, OptionKind.Flag),
        ("--all", null, OptionKind.Flag),
        ("--json", null, OptionKind.Flag));

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one line.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out CommandLine command, out string error)
    {
        command = new CommandLine();
        if (!ArgTokenizer.TryTokenize(args, s_options, out var options, out var positional, out error, "; see 'lantalk --help'"))
        {
            return false;
        }

        bool help = false;
        bool version = false;
        foreach (var (name, value, typed) in options)
        {
            if (value is not null && value.Trim().Length == 0)
            {
                error = $"option '{typed}' needs a non-empty value";
                return false;
            }

            command = name switch
            {
                "--server" => command with { Server = value },
                "--user" => command with { User = value },
                "--to" => command with { To = value },
                "--trust" => command with { Trust = value },
                "--password-stdin" => command with { PasswordStdin = true },
                "--plaintext" => command with { Plaintext = true },
                "--color" => command with { Color = true },
                "--no-color" => command with { Color = false },
                "--seconds" => command with { Seconds = true },
                "--no-seconds" => command with { Seconds = false },
                "--all" => command with { SearchAll = true },
                "--json" => command with { Json = true },
                _ => command,
            };
            help |= name == "--help";
            version |= name == "--version";
        }

        return Finish(command, positional, help, version, out command, out error);
    }
}
