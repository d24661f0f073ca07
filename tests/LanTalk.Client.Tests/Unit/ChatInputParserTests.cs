using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

public sealed class ChatInputParserTests
{
    [Test]
    public void Plain_text_is_a_public_message_kept_verbatim()
    {
        ChatInputParser.Parse("  hello there ").Should().Be(new PublicMessageInput("  hello there "));
    }

    [Test]
    public void Blank_lines_do_nothing()
    {
        ChatInputParser.Parse("   ").Should().BeOfType<EmptyInput>();
        ChatInputParser.Parse(string.Empty).Should().BeOfType<EmptyInput>();
    }

    [Test]
    public void Msg_sends_privately_with_the_rest_of_the_line()
    {
        ChatInputParser.Parse("/msg bob see you at 5").Should().Be(new PrivateMessageInput("bob", "see you at 5"));
        ChatInputParser.Parse("/MSG  bob  two  spaces").Should().Be(new PrivateMessageInput("bob", " two  spaces"));
        ChatInputParser.Parse("/w bob hi").Should().Be(new PrivateMessageInput("bob", "hi"));
    }

    [TestCase("/msg")]
    [TestCase("/msg bob")]
    [TestCase("/msg bob   ")]
    public void Msg_without_text_explains_the_usage(string line)
    {
        ChatInputParser.Parse(line).Should().Be(new InvalidInput("usage: /msg NAME text"));
    }

    [Test]
    public void Who_help_and_quit_are_recognised()
    {
        ChatInputParser.Parse("/who").Should().BeOfType<WhoInput>();
        ChatInputParser.Parse("/help").Should().BeOfType<HelpInput>();
        ChatInputParser.Parse("/quit").Should().BeOfType<QuitInput>();
        ChatInputParser.Parse("/exit").Should().BeOfType<QuitInput>();
        ChatInputParser.Parse("/who x y").Should().BeOfType<InvalidInput>();
    }

    [TestCase("/archive", 20)]
    [TestCase("/archive 5", 5)]
    [TestCase("/archive   1000 ", 1000)]
    public void Archive_takes_an_optional_count(string line, int count)
    {
        ChatInputParser.Parse(line).Should().Be(new ArchiveInput(count));
    }

    [TestCase("/archive 0")]
    [TestCase("/archive -3")]
    [TestCase("/archive lots")]
    [TestCase("/archive 1001")]
    public void Archive_rejects_bad_counts(string line)
    {
        ChatInputParser.Parse(line).Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("/archive [N]");
    }

    [Test]
    public void Unknown_commands_are_not_sent_and_say_how_to_send_a_slash()
    {
        ChatInputParser.Parse("/shrug").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("/shrug").And.Contain("//");
    }

    [Test]
    public void Double_slash_sends_a_line_starting_with_slash()
    {
        ChatInputParser.Parse("//usr/bin is full").Should().Be(new PublicMessageInput("/usr/bin is full"));
    }
}
