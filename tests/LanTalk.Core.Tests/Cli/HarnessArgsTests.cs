using LanTalk.Core.Tests.Support;
using LanTalk.Harness.Cli;
using LanTalk.Harness.Infra;
using LanTalk.Harness.Load;

namespace LanTalk.Core.Tests.Cli;

/// <summary>lantalk-harness's options: the shared rules (System.CommandLine through core/Cli/ParsedArgs) and every documented command line.</summary>
public sealed class HarnessArgsTests
{
    // The flag sets Program.cs (load, bench), ConformanceCommand and IrcLoad give their readers.
    private static readonly HashSet<string> s_load = [.. CommonOptions.Flags, "--strict"];
    private static readonly HashSet<string> s_conformance = [.. CommonOptions.Flags, "--list"];
    private static readonly HashSet<string> s_irc = ["--no-progress"];

    private static (CommonOptions Common, LoadOptions Load) ReadLoad(params string[] args)
    {
        var reader = new ArgReader(args, s_load);
        var result = (CommonOptions.Read(reader), LoadOptions.Read(reader));
        reader.RejectUnknown();
        return result;
    }

    [Test]
    public void Value_options_accept_the_equals_form()
    {
        var (common, load) = ReadLoad("--spawn=./lantalk-server", "--scenario=crowd", "--clients=50", "--rate=2.5", "--json=out.json");
        common.Spawn.Should().Be("./lantalk-server");
        common.JsonPath.Should().Be("out.json");
        load.Scenario.Should().Be("crowd");
        load.Clients.Should().Be(50);
        load.Rate.Should().Be(2.5);
    }

    [Test]
    public void Double_dash_ends_the_options_and_the_harness_takes_no_arguments()
    {
        new ArgReader(["--spawn", "s", "--"], s_load).String("--spawn").Should().Be("s");
        var act = () => new ArgReader(["--spawn", "s", "--", "--clients"], s_load);
        act.Should().Throw<HarnessException>().WithMessage("unexpected argument '--clients'");
    }

    [TestCase(new[] { "--spawn", "s", "--bogus", "1" }, "unknown option(s): --bogus")]
    [TestCase(new[] { "--spawn", "s", "--bogus=1" }, "unknown option(s): --bogus")]
    [TestCase(new[] { "--spawn", "s", "-x" }, "unknown option '-x'")]
    [TestCase(new[] { "--spawn", "s", "--clients" }, "--clients needs a value")]
    [TestCase(new[] { "--clients", "--spawn", "s" }, "--clients needs a value")]
    [TestCase(new[] { "--spawn", "", "--clients", "1" }, "--spawn needs a value")]
    [TestCase(new[] { "--spawn", "s", "--json=" }, "--json needs a value")]
    [TestCase(new[] { "--spawn", "s", "--strict=yes" }, "--strict takes no value")]
    [TestCase(new[] { "--spawn", "s", "stray" }, "unexpected argument 'stray'")]
    // Refused, not raised to the minimum or cut to the maximum: the run would measure something else than asked.
    [TestCase(new[] { "--spawn", "s", "--size", "31" }, "--size: 31 is below the minimum, 32")]
    [TestCase(new[] { "--spawn", "s", "--clients", "0" }, "--clients: 0 is below the minimum, 1")]
    [TestCase(new[] { "--spawn", "s", "--messages", "0" }, "--messages: 0 is below the minimum, 1")]
    [TestCase(new[] { "--spawn", "s", "--window", "0" }, "--window: 0 is below the minimum, 1")]
    [TestCase(new[] { "--spawn", "s", "--senders", "0" }, "--senders: 0 is below the minimum, 1")]
    [TestCase(new[] { "--spawn", "s", "--private-ratio", "1.5" }, "--private-ratio: 1.5 is above the maximum, 1")]
    // With --server it was taken and ignored: the run measured the server's own settings.
    [TestCase(new[] { "--server", "127.0.0.1:1", "--set", "History=false" }, "--set goes with --spawn")]
    public void Bad_options_say_what_is_wrong(string[] args, string expected)
    {
        var act = () => ReadLoad(args);
        act.Should().Throw<HarnessException>().Which.Message.Should().Contain(expected);
    }

    // Every form in 'lantalk-harness help'.
    [TestCase("--server", "127.0.0.1:7000", "--scenario", "design-32", "--user-prefix", "load", "--user-count", "32", "--password", "pw")]
    [TestCase("--server", "127.0.0.1:7000", "--server-pid", "123", "--tls", "--trust", "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99")]
    [TestCase("--spawn", "./lantalk-server", "--tls", "--clients", "8", "--messages", "10", "--rate", "0", "--size", "64", "--private-ratio", "0.5")]
    [TestCase("--spawn", "./lantalk-server", "--plaintext", "--duration", "5", "--window", "100", "--senders", "4", "--json", "r.json", "--no-progress", "--strict")]
    public void Every_documented_load_and_bench_option_parses(params string[] args) => ReadLoad(args);

    [Test]
    public void Conformance_and_irc_options_parse()
    {
        var conformance = new ArgReader(["--spawn", "s", "--only", "login,ping", "--list"], s_conformance);
        conformance.Flag("--list").Should().BeTrue();
        CommonOptions.Read(conformance);
        conformance.String("--only").Should().Be("login,ping");
        conformance.RejectUnknown();

        var irc = new ArgReader(["--server=127.0.0.1:6667", "--server-pid", "1", "--scenario", "crowd", "--json", "x", "--no-progress"], s_irc);
        irc.String("--server").Should().Be("127.0.0.1:6667");
        irc.Int("--server-pid").Should().Be(1);
        irc.String("--json");
        irc.Flag("--no-progress").Should().BeTrue();
        LoadOptions.Read(irc).Scenario.Should().Be("crowd");
        irc.RejectUnknown();
    }

    [TestCase("load")]
    [TestCase("bench")]
    [TestCase("irc")]
    [TestCase("conformance")]
    public void Help_after_a_command_is_that_commands_help(string command)
    {
        // "load --help" said "--help needs a value"; "load --help x" took x as its value.
        foreach (var args in new[] { new[] { command, "--help" }, [command, "--help", "x"], [command, "--spawn", "s", "-h"] })
        {
            HelpOption.Reply(args).Should().StartWith("Usage:").And.Contain($"lantalk-harness {command} ");
        }
    }

    [Test]
    public void Version_anywhere_prints_the_version_and_a_plain_command_line_is_no_help_request()
    {
        HelpOption.Reply(["--version"]).Should().StartWith("lantalk-harness ");
        HelpOption.Reply(["load", "--spawn", "s", "--version"]).Should().StartWith("lantalk-harness ");
        HelpOption.Reply(["help", "conformance"]).Should().Contain("lantalk-harness conformance ");
        HelpOption.Reply(["load", "--spawn", "s"]).Should().BeNull();
        HelpOption.Reply(["load", "--spawn", "s", "--", "--help"]).Should().BeNull("after -- it is not an option");
        HelpOption.Reply(["nosuch", "--help"]).Should().BeNull("the command switch names the unknown command");
    }

    [Test]
    public async Task Load_help_exits_0_with_the_load_usage()
    {
        var (code, output, _) = await RunHarnessAsync("load", "--help");

        code.Should().Be(0);
        output.Should().Contain("lantalk-harness load ").And.Contain("--scenario");
    }

    [Test]
    public async Task An_unknown_option_exits_2_and_names_it()
    {
        var (code, _, error) = await RunHarnessAsync("load", "--spawn", "none", "--frobnicate=1");

        code.Should().Be(2);
        error.Should().Contain("unknown option(s): --frobnicate");
    }

    [Test]
    public void The_smallest_size_and_counts_are_taken_as_given()
    {
        var (_, load) = ReadLoad("--spawn", "s", "--size", "32", "--clients", "1", "--window", "1", "--private-ratio", "1");
        var spec = load.Traffic(1, rate: 1, duration: 1);

        spec.Size.Should().Be(Payload.HeaderLength);
        spec.Window.Should().Be(1);
        spec.PrivateRatio.Should().Be(1);
    }

    [TestCase("--size", "31")]
    [TestCase("--clients", "0")]
    public async Task A_value_below_its_minimum_exits_2_before_anything_runs(string option, string value)
    {
        // The settings audit's command lines: --size 31 ran with 32 bytes, and --clients 0 reported PASS against a
        // port where nothing listened.
        var (code, output, error) = await RunHarnessAsync("load", "--server", "127.0.0.1:1", option, value, "--duration", "1", "--no-progress");

        code.Should().Be(2);
        error.Should().Contain($"{option}: {value} is below the minimum");
        output.Should().NotContain("PASS");
    }

    private static Task<(int Code, string Output, string Error)> RunHarnessAsync(params string[] args) => HarnessProcess.RunAsync(args);
}
