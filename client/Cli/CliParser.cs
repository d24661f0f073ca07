using System.CommandLine;
using LanTalk.Core.Cli;

namespace LanTalk.Client.Cli;

/// <summary>
/// The client's commands and options. System.CommandLine (<see cref="ParsedArgs"/>) matches the words; every option
/// is accepted anywhere on the line, and <see cref="Finish"/> decides the command and words the errors, so the texts
/// and exit code 2 in README stay ours.
/// </summary>
internal static partial class CliParser
{
    private const string Hint = "; see 'lantalk --help'";

    private static readonly OptionTable s_options = new(
        ("--help", "-h", OptionKind.Flag),
        ("--version", "-V", OptionKind.Flag),
        ("--server", "-s", OptionKind.Value),
        ("--user", "-u", OptionKind.Value),
        ("--to", "-t", OptionKind.Value),
        ("--room", "-r", OptionKind.Value),
        ("--trust", null, OptionKind.Value),
        ("--trust-announced", null, OptionKind.Flag),
        ("--password-stdin", null, OptionKind.Flag),
        ("--plaintext", null, OptionKind.Flag),
        ("--color", null, OptionKind.Flag),
        ("--no-color", null, OptionKind.Flag),
        ("--seconds", null, OptionKind.Flag),
        ("--no-seconds", null, OptionKind.Flag),
        ("--all", null, OptionKind.Flag),
        ("--json", null, OptionKind.Flag));

    private static readonly Command s_root = CreateTree();

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one line.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out CommandLine command, out string error)
    {
        command = new CommandLine();
        var parsed = new ParsedArgs(s_root, args);
        if (parsed.SyntaxError(s_options, Hint) is { } syntax)
        {
            error = syntax;
            return false;
        }

        bool help = false;
        bool version = false;
        foreach (var (name, value, typed) in parsed.Options())
        {
            if (name == "--trust" && value is not null && LanTalk.Core.Security.CertificateFingerprint.Normalize(value) is null)
            {
                // Malformed, it was taken as a pin that could never match, and reported as the server's identity
                // having changed (a UX audit, 2026-12-05).
                error = $"option '{typed}': '{value}' is not a SHA-256 fingerprint (32 bytes in hex, with or without colons, as lantalk-server prints it at start)";
                return false;
            }

            command = name switch
            {
                "--server" => command with { Server = value },
                "--user" => command with { User = value },
                "--to" => command with { To = value },
                "--room" => command with { Room = value },
                "--trust" => command with { Trust = value },
                "--trust-announced" => command with { TrustAnnounced = true },
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

        return Finish(command, [.. parsed.Words], help, version, out command, out error);
    }

    /// <summary>
    /// The tool (chat, with an optional HOST) and its subcommands. Every option is recursive, because the client has
    /// always taken them anywhere; which apply to which command is checked in <see cref="Finish"/>.
    /// </summary>
    private static Command CreateTree()
    {
        var root = new Command("lantalk");
        foreach (string name in s_options.Names)
        {
            root.Options.Add(s_options.Create(name, recursive: true));
        }

        // Parsing only: the action is never run; it tells System.CommandLine that 'lantalk' alone is a command.
        root.SetAction(_ => 0);
        root.Arguments.Add(Words());
        var archive = new Command("archive");
        archive.Subcommands.Add(WithWords("search"));
        root.Subcommands.Add(WithWords("send"));
        root.Subcommands.Add(WithWords("register"));
        root.Subcommands.Add(archive);
        root.Subcommands.Add(WithWords("servers"));
        root.Subcommands.Add(WithWords("doctor"));
        root.Subcommands.Add(WithWords("help"));
        return root;
    }

    // Any number of words: Finish says how many each command takes.
    private static Argument<string[]> Words() => new("words") { Arity = ArgumentArity.ZeroOrMore };

    private static Command WithWords(string name)
    {
        var command = new Command(name);
        command.Arguments.Add(Words());
        return command;
    }
}
