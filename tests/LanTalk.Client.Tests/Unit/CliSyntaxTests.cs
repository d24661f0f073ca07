using LanTalk.Client.App;
using LanTalk.Client.Cli;
using LanTalk.Client.Settings;

namespace LanTalk.Client.Tests.Unit;

/// <summary>The command-line rules lantalk shares with lantalk-server and lantalk-harness (System.CommandLine, core/Cli/ParsedArgs).</summary>
public sealed class CliSyntaxTests
{
    private const string Fingerprint = "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB";

    private static CommandLine Parse(params string[] args)
    {
        CliParser.TryParse(args, out var command, out string error).Should().BeTrue(error);
        return command;
    }

    [Test]
    public void Double_dash_ends_the_options_so_text_may_start_with_a_dash()
    {
        var command = Parse("send", "--to", "bob", "--", "--verbose", "-h", "is", "not", "an", "option");
        command.Kind.Should().Be(CommandKind.Send);
        command.To.Should().Be("bob");
        command.Text.Should().Be("--verbose -h is not an option");
    }

    [Test]
    public void Every_value_option_accepts_the_equals_form()
    {
        var command = Parse("send", "--server=chat.lan:7000", "--user=alice", "--to=bob", "--trust=" + Fingerprint, "hi");
        command.Should().BeEquivalentTo(new CommandLine { Kind = CommandKind.Send, Server = "chat.lan:7000", User = "alice", To = "bob", Trust = Fingerprint, Text = "hi" });
    }

    [Test]
    public void Short_aliases_take_the_next_word()
    {
        var command = Parse("send", "-s", "chat.lan", "-u", "alice", "-t", "bob", "hi");
        command.Should().BeEquivalentTo(new CommandLine { Kind = CommandKind.Send, Server = "chat.lan", User = "alice", To = "bob", Text = "hi" });
    }

    [Test]
    public void A_flag_never_takes_the_next_word_as_its_value()
    {
        // System.CommandLine's bool options would read "true" as the flag's value and lose the word.
        var command = Parse("send", "--plaintext", "true", "story");
        command.Plaintext.Should().BeTrue();
        command.Text.Should().Be("true story");
    }

    [Test]
    public void An_at_sign_is_text_not_a_response_file() => Parse("send", "@bob", "lunch?").Text.Should().Be("@bob lunch?");

    [Test]
    public void A_command_name_after_the_host_is_an_extra_argument_as_before()
    {
        CliParser.TryParse(["chat.lan", "send"], out _, out string error).Should().BeFalse();
        error.Should().Contain("unexpected argument 'send'");
    }

    [Test]
    public void A_lone_dash_is_an_argument() => Parse("send", "-").Text.Should().Be("-");

    [TestCase(new[] { "--bogus" }, "unknown option '--bogus'")]
    [TestCase(new[] { "--bogus=1" }, "unknown option '--bogus'")]
    [TestCase(new[] { "-x" }, "unknown option '-x'")]
    [TestCase(new[] { "--server" }, "--server needs a value")]
    [TestCase(new[] { "send", "hi", "--to" }, "--to needs a value")]
    // The value forgotten: the next word starting with "--" is the next option, not the value.
    [TestCase(new[] { "send", "hi", "--to", "--server", "h" }, "--to needs a value")]
    [TestCase(new[] { "--json=yes" }, "--json takes no value")]
    [TestCase(new[] { "--server", "a:1", "-s", "b:2" }, "--server was given twice ('a:1' and 'b:2'); give it once")]
    public void Bad_options_say_what_is_wrong(string[] args, string expected)
    {
        CliParser.TryParse(args, out _, out string error).Should().BeFalse();
        error.Should().Contain(expected);
    }

    // Every form in 'lantalk --help' and README's client section.
    [TestCase("Chat")]
    [TestCase("Chat", "chat.lan:7000", "--user", "alice")]
    [TestCase("Chat", "--server", "chat.lan", "-u", "alice", "--password-stdin", "--plaintext", "--color", "--no-seconds")]
    [TestCase("Chat", "--trust", "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB", "--no-color", "--seconds")]
    [TestCase("Send", "send", "--to", "bob", "lunch?")]
    [TestCase("Send", "send", "hello", "there")]
    [TestCase("Register", "register", "chat.lan", "--user", "alice")]
    [TestCase("Register", "register", "--server", "chat.lan", "--user", "alice", "--password-stdin")]
    [TestCase("ArchiveSearch", "archive", "search", "lunch")]
    [TestCase("ArchiveSearch", "archive", "search", "--all", "lunch")]
    [TestCase("Servers", "servers")]
    [TestCase("Servers", "servers", "--json")]
    [TestCase("Doctor", "doctor")]
    [TestCase("Doctor", "doctor", "chat.lan:7000", "--user", "alice", "--json")]
    [TestCase("Help", "--help")]
    [TestCase("Help", "-h")]
    [TestCase("Help", "help", "send")]
    [TestCase("Help", "archive", "--help")]
    [TestCase("Version", "--version")]
    [TestCase("Version", "-V")]
    public void Every_documented_command_parses(string kind, params string[] args) => Parse(args).Kind.Should().Be(Enum.Parse<CommandKind>(kind));

    [Test]
    public async Task An_unknown_option_exits_2_and_names_it()
    {
        var error = new StringWriter();
        var env = new AppEnvironment
        {
            In = new StringReader(string.Empty),
            Out = new StringWriter(),
            Error = error,
            IsInputRedirected = true,
            IsOutputRedirected = true,
            GetVariable = _ => null,
            Paths = new AppPaths(Path.Combine(Path.GetTempPath(), "lantalk-cli-unused"), Path.Combine(Path.GetTempPath(), "lantalk-cli-unused")),
        };

        int code = await LanTalkApp.RunAsync(["--frobnicate=1"], env).WaitAsync(TimeSpan.FromSeconds(30));

        code.Should().Be(2);
        error.ToString().Should().Contain("unknown option '--frobnicate'").And.Contain("lantalk --help");
    }

    [Test]
    public void Help_lists_the_room_commands_and_the_archive_line_format_as_written()
    {
        UsageText.Main.Should().NotContain("send to everyone");
        foreach (string command in new[] { "/join", "/part", "/go", "/rooms", "/topic", "/invite", "/kick", "/who", "/away", "/back", "/me", "/history", "/search", "Alt+1..9" })
        {
            UsageText.Main.Should().Contain(command);
        }

        UsageText.Archive.Should().Contain("PUB #lobby alice: text");
    }
}
