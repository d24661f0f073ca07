using System.CommandLine;
using LanTalk.Core.Cli;

namespace LanTalk.Server.Cli;

/// <summary>
/// lantalk-server's commands and options as a System.CommandLine tree, which matches the words of a command line to
/// them. Only matching: values are checked, and errors worded, by <see cref="CliParser"/>, and help texts are
/// <see cref="UsageText"/>. Built from plain <see cref="Command"/>s rather than a RootCommand, so no help, version or
/// [directive] handling of the library's own is added.
/// </summary>
public sealed class CommandTree
{
    /// <summary>Every option of the tool, with its alias and whether it takes a value.</summary>
    public static readonly OptionTable Options = new(
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
        ("--replace", null, OptionKind.Flag),
        ("--print-acks", null, OptionKind.Flag));

    private static readonly string[] s_runOptions = ["--data", "--port", "--listen", "--plaintext"];

    private readonly Dictionary<Command, CommandKind> _kinds = [];

    public CommandTree()
    {
        Root = new Command("lantalk-server");
        // --help and --version are understood after any command ("user add --help").
        Root.Options.Add(Options.Create("--help", recursive: true));
        Root.Options.Add(Options.Create("--version", recursive: true));
        Root.Options.Add(Options.Create("--service"));
        AddOptions(Root, CommandKind.Run, s_runOptions);
        // The tool alone is 'run', so it needs no subcommand. The action is never invoked (CliParser only parses);
        // it only tells System.CommandLine that the root can stand alone.
        Root.SetAction(_ => ExitCodes.Ok);
        Root.Subcommands.Add(Leaf("run", CommandKind.Run, takesArguments: false, s_runOptions));
        Root.Subcommands.Add(Group(
            "service",
            Leaf("run", CommandKind.ServiceRun, takesArguments: false, s_runOptions),
            Leaf("install", CommandKind.ServiceInstall, takesArguments: false, "--data", "--user", "--unit-path", "--dry-run"),
            Leaf("uninstall", CommandKind.ServiceUninstall, takesArguments: false, "--unit-path", "--dry-run")));
        Root.Subcommands.Add(Group(
            "user",
            Leaf("add", CommandKind.UserAdd, takesArguments: true, "--data", "--password-stdin"),
            Leaf("list", CommandKind.UserList, takesArguments: false, "--data"),
            Leaf("remove", CommandKind.UserRemove, takesArguments: true, "--data"),
            Leaf("passwd", CommandKind.UserPasswd, takesArguments: true, "--data", "--password-stdin"),
            Leaf("add-test-users", CommandKind.UserAddTestUsers, takesArguments: false, "--data", "--password-stdin", "--prefix", "--count", "--iterations", "--replace")));
        Root.Subcommands.Add(Group(
            "config",
            Leaf("show-defaults", CommandKind.ConfigShowDefaults, takesArguments: true),
            Leaf("check", CommandKind.ConfigCheck, takesArguments: false, "--data")));
        Root.Subcommands.Add(Leaf("backup", CommandKind.Backup, takesArguments: true, "--data"));
        Root.Subcommands.Add(Group("history", Leaf("bench", CommandKind.HistoryBench, takesArguments: false, "--data", "--count", "--writers", "--print-acks")));
        Root.Subcommands.Add(Leaf("help", CommandKind.Help, takesArguments: true));
    }

    /// <summary>The tool itself, which is also the 'run' command.</summary>
    public Command Root { get; }

    /// <summary>The command a leaf or the root stands for; null for a group (service, user, config, history).</summary>
    public CommandKind? KindOf(Command command) => _kinds.TryGetValue(command, out var kind) ? kind : null;

    private Command Leaf(string name, CommandKind kind, bool takesArguments, params string[] options)
    {
        var command = new Command(name);
        AddOptions(command, kind, options);
        if (takesArguments)
        {
            // Any number: CliParser says which count is right, in words that name the command.
            command.Arguments.Add(new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore });
        }

        return command;
    }

    private static Command Group(string name, params Command[] subcommands)
    {
        var group = new Command(name);
        foreach (var subcommand in subcommands)
        {
            group.Subcommands.Add(subcommand);
        }

        return group;
    }

    private void AddOptions(Command command, CommandKind kind, string[] options)
    {
        _kinds[command] = kind;
        foreach (string option in options)
        {
            command.Options.Add(Options.Create(option));
        }
    }

}
