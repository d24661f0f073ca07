using LanTalk.Client.Cli;

namespace LanTalk.Client.Tests.Unit;

public sealed class CliParserTests
{
    private static CommandLine Parse(params string[] args)
    {
        CliParser.TryParse(args, out var command, out string error).Should().BeTrue(error);
        return command;
    }

    private static string Fail(params string[] args)
    {
        CliParser.TryParse(args, out _, out string error).Should().BeFalse();
        return error;
    }

    [Test]
    public void No_arguments_is_a_chat_with_remembered_settings()
    {
        var command = Parse();
        command.Kind.Should().Be(CommandKind.Chat);
        command.Server.Should().BeNull();
        command.User.Should().BeNull();
    }

    [Test]
    public void Positional_host_and_user_option_start_a_chat()
    {
        var command = Parse("chat.lan:7000", "--user", "alice");
        command.Should().BeEquivalentTo(new CommandLine { Kind = CommandKind.Chat, Server = "chat.lan:7000", User = "alice" });
    }

    [Test]
    public void Options_accept_the_equals_form_and_short_names()
    {
        var command = Parse("--server=chat.lan", "-u", "bob", "--password-stdin", "--plaintext", "--no-color", "--seconds");
        command.Server.Should().Be("chat.lan");
        command.User.Should().Be("bob");
        command.PasswordStdin.Should().BeTrue();
        command.Plaintext.Should().BeTrue();
        command.Color.Should().BeFalse();
        command.Seconds.Should().BeTrue();
    }

    [Test]
    public void Send_joins_the_words_of_the_text_and_takes_a_recipient()
    {
        var command = Parse("send", "--to", "bob", "lunch", "at", "12?");
        command.Kind.Should().Be(CommandKind.Send);
        command.To.Should().Be("bob");
        command.Text.Should().Be("lunch at 12?");
    }

    [Test]
    public void Send_takes_a_room_but_not_with_a_recipient_and_only_for_send()
    {
        Parse("send", "-r", "#dev", "hi").Room.Should().Be("#dev");
        Fail("send", "--room", "dev", "--to", "bob", "hi").Should().Contain("not both");
        Fail("--room", "dev").Should().Contain("only applies to 'lantalk send'");
        Fail("send", "--room", "my room", "hi").Should().Contain("not a room name");
    }

    [Test]
    public void Double_dash_lets_a_message_start_with_a_dash()
    {
        Parse("send", "--", "-1 for that idea").Text.Should().Be("-1 for that idea");
    }

    [Test]
    public void Archive_search_takes_text_and_the_all_flag()
    {
        var command = Parse("archive", "search", "deploy", "--server", "x:1", "--all");
        command.Kind.Should().Be(CommandKind.ArchiveSearch);
        command.Text.Should().Be("deploy");
        command.SearchAll.Should().BeTrue();
        command.Server.Should().Be("x:1");
    }

    [TestCase(new[] { "--help" }, "Chat")]
    [TestCase(new[] { "-h" }, "Chat")]
    [TestCase(new[] { "send", "--help" }, "Send")]
    [TestCase(new[] { "archive", "--help" }, "ArchiveSearch")]
    [TestCase(new[] { "archive", "search", "-h" }, "ArchiveSearch")]
    [TestCase(new[] { "help", "send" }, "Send")]
    public void Help_is_available_for_the_tool_and_each_subcommand(string[] args, string topicName)
    {
        var topic = Enum.Parse<CommandKind>(topicName);
        var command = Parse(args);
        command.Kind.Should().Be(CommandKind.Help);
        command.HelpTopic.Should().Be(topic);
        UsageText.For(topic).Should().Contain("Examples:");
    }

    [Test]
    public void Version_flag_is_recognised()
    {
        Parse("--version").Kind.Should().Be(CommandKind.Version);
        Parse("-V").Kind.Should().Be(CommandKind.Version);
    }

    [Test]
    public void Errors_name_the_problem()
    {
        Fail("--bogus").Should().Contain("--bogus");
        Fail("--user").Should().Contain("needs a value");
        Fail("--user", " ").Should().Be("--user needs a value");
        Fail("--user", "").Should().Be("--user needs a value");
        Fail("send").Should().Contain("message text");
        Fail("send", "--to", "bob").Should().Contain("message text");
        Fail("archive", "search").Should().Contain("text to look for");
        Fail("archive", "list").Should().Contain("archive search");
        Fail("host1", "host2").Should().Contain("host2");
        Fail("host1", "--server", "host2").Should().Contain("twice");
        Fail("--to", "bob").Should().Contain("--to only applies");
        Fail("--all").Should().Contain("--all only applies");
        Fail("--plaintext=yes").Should().Contain("takes no value");
    }

    [Test]
    public void Trust_takes_a_SHA256_fingerprint_with_or_without_colons_and_refuses_anything_else()
    {
        string colons = string.Join(':', Enumerable.Repeat("AB", 32));
        Parse("--trust", colons).Trust.Should().Be(colons);
        Parse("--trust", new string('c', 64)).Trust.Should().Be(new string('c', 64));
        Fail("--trust", "AB:CD").Should().Contain("is not a SHA-256 fingerprint");
        Fail("--trust", new string('x', 64)).Should().Contain("is not a SHA-256 fingerprint");
    }

    [Test]
    public void Trust_announced_is_consent_for_a_server_found_on_the_LAN_only()
    {
        Parse("--trust-announced", "-u", "alice").TrustAnnounced.Should().BeTrue();
        Parse("send", "--trust-announced", "hi").TrustAnnounced.Should().BeTrue();
        Parse("-u", "alice").TrustAnnounced.Should().BeFalse("an announcement's pin=auto is never consent by itself");
        Fail("chat.lan", "--trust-announced").Should().Contain("--trust-announced only applies");
        Fail("send", "--server", "chat.lan", "--trust-announced", "hi").Should().Contain("no server given");
        Fail("servers", "--trust-announced").Should().Contain("--trust-announced only applies");
        Fail("doctor", "--trust-announced").Should().Contain("--trust-announced only applies");
        UsageText.For(CommandKind.Chat).Should().Contain("--trust-announced").And.Contain("pin=auto");
        UsageText.For(CommandKind.Send).Should().Contain("--trust-announced");
    }

    [Test]
    public void Register_takes_the_server_as_an_argument_or_an_option()
    {
        var positional = Parse("register", "chat.lan", "-u", "carol");
        positional.Kind.Should().Be(CommandKind.Register);
        positional.Server.Should().Be("chat.lan");
        positional.User.Should().Be("carol");
        Parse("register", "--server", "chat.lan:7000", "--user", "carol").Server.Should().Be("chat.lan:7000");
        Parse("help", "register").HelpTopic.Should().Be(CommandKind.Register);
        UsageText.For(CommandKind.Register).Should().Contain("twice without echo");
    }
}
