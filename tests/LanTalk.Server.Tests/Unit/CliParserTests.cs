using System.Net;
using LanTalk.Server.Cli;

namespace LanTalk.Server.Tests.Unit;

[TestFixture]
public sealed class CliParserTests
{
    private static CommandLine Parse(params string[] args)
    {
        CliParser.TryParse(args, out var command, out string error).Should().BeTrue(error);
        return command;
    }

    private static string Error(params string[] args)
    {
        CliParser.TryParse(args, out _, out string error).Should().BeFalse();
        return error;
    }

    [Test]
    public void No_arguments_runs_the_server_in_the_foreground() =>
        Parse().Should().Be(new CommandLine { Kind = CommandKind.Run });

    [Test]
    public void Run_options_override_the_settings()
    {
        var c = Parse("--data", "/srv/lt", "--port=6000", "--listen", "127.0.0.1", "--plaintext");

        c.Should().Be(new CommandLine { Kind = CommandKind.Run, DataDirectory = "/srv/lt", Port = 6000, ListenAddress = IPAddress.Loopback, Plaintext = true });
    }

    [TestCase("--service")]
    [TestCase("service", "run")]
    public void Service_run_has_two_spellings(params string[] args) => Parse(args).Kind.Should().Be(CommandKind.ServiceRun);

    [Test]
    public void User_add_takes_a_name_and_password_stdin()
    {
        Parse("user", "add", "alice", "--password-stdin", "--data", "d").Should().Be(new CommandLine
        {
            Kind = CommandKind.UserAdd,
            UserName = "alice",
            PasswordFromStdin = true,
            DataDirectory = "d",
        });
    }

    [Test]
    public void Add_test_users_reads_prefix_count_and_iterations()
    {
        var c = Parse("user", "add-test-users", "--prefix", "load", "--count", "2000", "--iterations", "1000", "--password-stdin");

        c.Should().Be(new CommandLine { Kind = CommandKind.UserAddTestUsers, Prefix = "load", Count = 2000, Iterations = 1000, PasswordFromStdin = true });
    }

    [Test]
    public void Add_test_users_reads_replace() =>
        Parse("user", "add-test-users", "--prefix", "p", "--count", "1", "--replace", "--password-stdin").Replace.Should().BeTrue();

    [Test]
    public void Service_install_options()
    {
        Parse("service", "install", "--user", "lantalk", "--unit-path", "/tmp/u.service", "--dry-run").Should().Be(new CommandLine
        {
            Kind = CommandKind.ServiceInstall,
            ServiceUser = "lantalk",
            UnitPath = "/tmp/u.service",
            DryRun = true,
        });
    }

    [TestCase(new[] { "--help" }, "")]
    [TestCase(new[] { "user", "add", "--help" }, "user add")]
    [TestCase(new[] { "user", "--help" }, "user")]
    [TestCase(new[] { "help", "service", "install" }, "service install")]
    [TestCase(new[] { "service", "install", "-h" }, "service install")]
    public void Help_names_its_topic(string[] args, string topic)
    {
        var c = Parse(args);

        c.Kind.Should().Be(CommandKind.Help);
        c.HelpTopic.Should().Be(topic);
        UsageText.For(topic).Should().NotBeNullOrWhiteSpace();
    }

    [Test]
    public void Every_command_has_help_with_its_usage()
    {
        foreach (var kind in Enum.GetValues<CommandKind>().Where(k => k is not (CommandKind.Help or CommandKind.Version)))
        {
            string topic = CliParser.Topic(kind);
            string? text = UsageText.For(topic);
            text.Should().NotBeNull(kind.ToString());
            text.Should().Contain(topic.Length == 0 ? "lantalk-server" : topic);
        }
    }

    [Test]
    public void Version_wins_over_everything() => Parse("user", "list", "--version").Kind.Should().Be(CommandKind.Version);

    [TestCase(new[] { "--port", "70000" }, "--port '70000' is not a port number")]
    [TestCase(new[] { "--port" }, "--port needs a value")]
    // The value forgotten: "--data" is the next option, not the port, and DIR is not an unknown command.
    [TestCase(new[] { "--port", "--data", "/srv/lantalk" }, "--port needs a value")]
    [TestCase(new[] { "user", "add", "alice", "--data", "--password-stdin" }, "--data needs a value")]
    [TestCase(new[] { "--listen", "localhost" }, "--listen 'localhost' is not an IP address")]
    [TestCase(new[] { "--frobnicate" }, "unknown option '--frobnicate'")]
    [TestCase(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [TestCase(new[] { "user" }, "'user' needs a subcommand")]
    [TestCase(new[] { "user", "delete", "x" }, "unknown command 'user delete'")]
    [TestCase(new[] { "user", "add" }, "needs a user name")]
    [TestCase(new[] { "user", "add", "a", "b" }, "unexpected argument 'b'")]
    [TestCase(new[] { "user", "list", "--port", "1" }, "--port does not apply to 'user list'")]
    [TestCase(new[] { "user", "add-test-users", "--prefix", "p", "--password-stdin" }, "needs --prefix P and --count N")]
    [TestCase(new[] { "user", "add-test-users", "--prefix", "p", "--count", "0", "--password-stdin" }, "--count '0' is not a whole number")]
    [TestCase(new[] { "user", "add-test-users", "--prefix", "p", "--count", "3" }, "--password-stdin")]
    [TestCase(new[] { "--plaintext=yes" }, "--plaintext takes no value")]
    [TestCase(new[] { "config", "show-defaults", "json" }, "settings, nlog or all")]
    public void Bad_command_lines_say_what_is_wrong(string[] args, string expected) => Error(args).Should().Contain(expected);
}
