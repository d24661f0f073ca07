using LanTalk.Server.Cli;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

/// <summary>The command-line rules of lantalk-server: System.CommandLine matching, our texts (server/Cli/CliParser).</summary>
public sealed class CliSyntaxTests
{
    private static CommandLine Parse(params string[] args)
    {
        CliParser.TryParse(args, out var command, out string error).Should().BeTrue(error);
        return command;
    }

    [Test]
    public void Double_dash_ends_the_options_so_a_name_may_start_with_a_dash()
    {
        var command = Parse("user", "remove", "--data", "d", "--", "-odd-name");
        command.Should().Be(new CommandLine { Kind = CommandKind.UserRemove, DataDirectory = "d", UserName = "-odd-name" });
        Parse("backup", "--", "--help").Should().Be(new CommandLine { Kind = CommandKind.Backup, Target = "--help" });
    }

    [Test]
    public void Every_value_option_accepts_the_equals_form()
    {
        Parse("--data=/srv/lt", "--port=6000", "--listen=::1").Should().Be(new CommandLine
        {
            Kind = CommandKind.Run,
            DataDirectory = "/srv/lt",
            Port = 6000,
            ListenAddress = System.Net.IPAddress.IPv6Loopback,
        });
        Parse("service", "install", "--user=lantalk", "--unit-path=/tmp/u").Should().Be(new CommandLine
        {
            Kind = CommandKind.ServiceInstall,
            ServiceUser = "lantalk",
            UnitPath = "/tmp/u",
        });
        Parse("history", "bench", "--data=d", "--count=5", "--writers=2").Should().Be(new CommandLine
        {
            Kind = CommandKind.HistoryBench,
            DataDirectory = "d",
            Count = 5,
            Writers = 2,
        });
    }

    [TestCase(new[] { "--bogus=1" }, "unknown option '--bogus'")]
    [TestCase(new[] { "-x" }, "unknown option '-x'")]
    [TestCase(new[] { "user", "list", "--data" }, "--data needs a value")]
    [TestCase(new[] { "--dry-run=yes" }, "--dry-run takes no value")]
    public void Bad_options_say_what_is_wrong(string[] args, string expected)
    {
        CliParser.TryParse(args, out _, out string error).Should().BeFalse();
        error.Should().Contain(expected);
    }

    /// <summary>
    /// Every value option of every command, given "" (a script's unset variable: --data "$DATA_DIR"), "=" or a blank:
    /// --data '' was taken as no --data, and the server, 'user add' and 'service install' used Data/ beside the
    /// executable, with exit 0.
    /// </summary>
    [Test]
    public void An_empty_value_is_a_missing_value_for_every_option_of_every_command()
    {
        var checkedLines = new List<string>();
        foreach (var (path, command) in Commands(new CommandTree().Root, []))
        {
            foreach (var option in command.Options.Where(o => CommandTree.Options.Find(o.Name) is { Kind: LanTalk.Core.Cli.OptionKind.Value }))
            {
                foreach (string[] given in new[] { new[] { option.Name, "" }, [option.Name + "="], [option.Name, "  "] })
                {
                    string[] args = [.. path, .. given];
                    CliParser.TryParse(args, out _, out string error).Should().BeFalse(string.Join(' ', args));
                    error.Should().Be($"{option.Name} needs a value", string.Join(' ', args));
                    checkedLines.Add(string.Join(' ', args));
                }
            }
        }

        checkedLines.Should().Contain(["--data ", "user add --data ", "service install --data ", "backup --data ", "user add-test-users --prefix "]);
    }

    private static IEnumerable<(string[] Path, System.CommandLine.Command Command)> Commands(System.CommandLine.Command command, string[] path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var found in Commands(sub, [.. path, sub.Name]))
            {
                yield return found;
            }
        }
    }

    [Test]
    public void A_flag_never_takes_the_next_word_as_its_value()
    {
        // System.CommandLine's bool options would read "true" as the flag's value; ours take none.
        Parse("user", "add", "--password-stdin", "true").Should().Be(new CommandLine { Kind = CommandKind.UserAdd, PasswordFromStdin = true, UserName = "true" });
    }

    [Test]
    public void An_at_sign_is_an_ordinary_argument_not_a_response_file() =>
        Parse("backup", "@nightly.db").Target.Should().Be("@nightly.db");

    [TestCase(new[] { "-hV" }, "unknown option '-hV'")]
    [TestCase(new[] { "user", "remove", "-odd-name" }, "unknown option '-odd-name'")]
    [TestCase(new[] { "user", "add", "--plaintext" }, "--plaintext does not apply to 'user add'")]
    [TestCase(new[] { "--port", "1", "user", "list" }, "--port does not apply to 'user list'")]
    public void Mistakes_are_named(string[] args, string expected)
    {
        CliParser.TryParse(args, out _, out string error).Should().BeFalse();
        error.Should().Contain(expected);
    }

    [Test]
    public void A_port_is_read_as_Settings_xml_reads_Port()
    {
        // "+8001" was refused here while <Port>+8001</Port> was taken.
        Parse("--port", "+8001").Port.Should().Be(8001);
        Parse("--port=8001").Port.Should().Be(8001);
        foreach (string bad in new[] { "-1", "65536", "abc", "8001.0", "0x1F" })
        {
            CliParser.TryParse(["--port", bad], out _, out string error).Should().BeFalse(bad);
            error.Should().Contain("is not a port number");
            SettingRules.Find("Port")!.TryApply(ServerSettings.Default, bad).Should().BeNull($"Settings.xml refuses '{bad}' too");
        }

        SettingRules.Find("Port")!.TryApply(ServerSettings.Default, "+8001")!.Port.Should().Be(8001);
    }

    [TestCase("--listen", "127.0.0.1", "--plaintext", "--port", "7301", "--port", "7302")]
    [TestCase("--data", "a", "user", "list", "--data", "b")]
    [TestCase("--plaintext", "--plaintext")]
    public void An_option_given_twice_is_a_usage_error(params string[] args)
    {
        // The last value won without a word: --port 7301 --port 7302 listened on 7302 (a settings audit, 2026-12-06).
        CliParser.TryParse(args, out _, out string error).Should().BeFalse();
        error.Should().Contain("was given twice").And.Contain("give it once");
    }

    [Test]
    public void Options_may_come_before_the_command() =>
        Parse("--data", "d", "user", "list").Should().Be(new CommandLine { Kind = CommandKind.UserList, DataDirectory = "d" });

    // Every form in 'lantalk-server --help' and the per-command help texts.
    [TestCase("Run")]
    [TestCase("Run", "run", "--data", "/var/lib/lantalk")]
    [TestCase("Run", "--listen", "127.0.0.1", "--port", "6000", "--plaintext")]
    [TestCase("ServiceRun", "service", "run", "--data", "d", "--port", "1", "--listen", "0.0.0.0", "--plaintext")]
    [TestCase("ServiceRun", "--service")]
    [TestCase("ServiceInstall", "service", "install", "--data", "/var/lib/lantalk", "--user", "lantalk", "--unit-path", "f", "--dry-run")]
    [TestCase("ServiceUninstall", "service", "uninstall", "--unit-path", "f", "--dry-run")]
    [TestCase("UserAdd", "user", "add", "alice")]
    [TestCase("UserAdd", "user", "add", "bob", "--password-stdin", "--data", "d")]
    [TestCase("UserList", "user", "list", "--data", "d")]
    [TestCase("UserRemove", "user", "remove", "alice", "--data", "d")]
    [TestCase("UserPasswd", "user", "passwd", "alice", "--password-stdin", "--data", "d")]
    [TestCase("UserAddTestUsers", "user", "add-test-users", "--prefix", "load", "--count", "2000", "--iterations", "1000", "--password-stdin")]
    [TestCase("ConfigShowDefaults", "config", "show-defaults")]
    [TestCase("ConfigShowDefaults", "config", "show-defaults", "settings")]
    [TestCase("ConfigCheck", "config", "check", "--data", "d")]
    [TestCase("Backup", "backup", "/var/backups/h.db", "--data", "/var/lib/lantalk")]
    [TestCase("HistoryBench", "history", "bench", "--data", "d", "--count", "10", "--writers", "4", "--print-acks")]
    [TestCase("Help", "help", "user", "add")]
    [TestCase("Help", "-h")]
    [TestCase("Version", "--version")]
    [TestCase("Version", "-V")]
    public void Every_documented_command_parses(string kind, params string[] args) => Parse(args).Kind.Should().Be(Enum.Parse<CommandKind>(kind));

    [Test]
    public async Task An_unknown_option_exits_2_and_names_it()
    {
        // The real program, started as a process: it stops at the command line, before any file or socket.
        var (code, output) = await LanTalk.Server.Tests.Integration.OpsProcess.RunAsync(null, "--frobnicate=1");

        code.Should().Be(ExitCodes.Usage);
        output.Should().Contain("unknown option '--frobnicate'").And.Contain("lantalk-server --help");
    }
}
