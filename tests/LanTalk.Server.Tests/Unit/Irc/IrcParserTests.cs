using System.Text;
using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Unit.Irc;

/// <summary>The IRC line parser on well-formed and hostile lines; it must never throw.</summary>
[TestFixture]
public sealed class IrcParserTests
{
    private static (IrcParseError Error, IrcMessage? Message) Parse(string line)
    {
        var error = IrcParser.TryParse(Encoding.UTF8.GetBytes(line), out var message);
        return (error, message);
    }

    [Test]
    public void Parses_source_command_middle_and_trailing_parameters()
    {
        var (error, message) = Parse(":nick!user@host privmsg #lobby :hello there :)");

        error.Should().Be(IrcParseError.None);
        message!.Source.Should().Be("nick!user@host");
        message.Command.Should().Be("PRIVMSG");
        message.Params.Should().Equal("#lobby", "hello there :)");
    }

    [Test]
    public void Parses_ircv3_tags_and_unescapes_their_values()
    {
        var (error, message) = Parse(@"@label=abc;+draft/x=a\sb\:c\\d;flag PRIVMSG bob :hi");

        error.Should().Be(IrcParseError.None);
        message!.Tags.Should().Equal(new IrcTag("label", "abc"), new IrcTag("+draft/x", @"a b;c\d"), new IrcTag("flag", string.Empty));
        message.Params.Should().Equal("bob", "hi");
    }

    [Test]
    public void Keeps_an_empty_trailing_parameter_and_collapses_repeated_spaces()
    {
        var (_, message) = Parse("TOPIC   #lobby   :");

        message!.Params.Should().Equal("#lobby", string.Empty);
    }

    [Test]
    public void A_numeric_is_a_command()
    {
        Parse("001 alice :Welcome").Message!.Command.Should().Be("001");
    }

    [Test]
    public void A_command_with_digits_and_underscores_is_a_command_to_answer_not_a_malformed_line()
    {
        var parsed = Parse("@label=x NONEXISTENT_COMMAND2 a");
        parsed.Error.Should().Be(IrcParseError.None);
        parsed.Message!.Command.Should().Be("NONEXISTENT_COMMAND2");
    }

    [TestCase("")]
    [TestCase("   ")]
    public void An_empty_line_is_ignored(string line)
    {
        Parse(line).Error.Should().Be(IrcParseError.Empty);
    }

    [TestCase("PRIV\0MSG bob :x")]
    [TestCase(":source")]
    [TestCase(": PRIVMSG bob :x")]
    [TestCase("12 bob")]
    [TestCase("PRIV-MSG bob")]
    [TestCase("_PRIVMSG bob")]
    [TestCase("9LIVES bob")]
    [TestCase("@tags-only")]
    [TestCase("@=value PING x")]
    public void Malformed_lines_are_refused(string line)
    {
        Parse(line).Error.Should().Be(IrcParseError.Malformed);
    }

    [Test]
    public void A_line_of_512_bytes_with_crlf_is_accepted_and_513_is_refused()
    {
        string fits = "PRIVMSG bob :" + new string('x', 510 - 13);
        Parse(fits).Error.Should().Be(IrcParseError.None);
        Parse(fits + "x").Error.Should().Be(IrcParseError.LineTooLong);
    }

    [Test]
    public void A_clients_tags_count_apart_from_the_512_bytes_up_to_4096()
    {
        string body = "PRIVMSG bob :" + new string('x', 510 - 13);
        // '@', "a=", the value and the space: 4096 bytes in all is the most a client may send (IRCv3 message-tags;
        // the rest of the 8191 is for the tags the server adds when it relays the line).
        Parse("@a=" + new string('v', 4096 - 4) + " " + body).Error.Should().Be(IrcParseError.None);
        Parse("@a=" + new string('v', 4096 - 3) + " " + body).Error.Should().Be(IrcParseError.TagsTooLong);
    }

    [Test]
    public void More_than_15_parameters_are_refused()
    {
        Parse("USER " + string.Join(' ', Enumerable.Range(0, 15).Select(i => "p" + i))).Error.Should().Be(IrcParseError.None);
        var (error, message) = Parse("user " + string.Join(' ', Enumerable.Range(0, 16).Select(i => "p" + i)));
        error.Should().Be(IrcParseError.TooManyParams);
        message!.Command.Should().Be("USER", "the refusal names the command (an IRC audit, 2026-12-07)");
    }

    [Test]
    public void Invalid_utf8_becomes_replacement_characters_not_an_exception()
    {
        byte[] line = [.. "PRIVMSG bob :"u8, 0xC3, 0x28, 0xFF];

        IrcParser.TryParse(line, out var message).Should().Be(IrcParseError.None);
        message!.Params[1].Should().Contain("\uFFFD");
    }

    [Test]
    public void Random_bytes_never_throw()
    {
        var random = new Random(1234);
        for (int i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            var act = () => IrcParser.TryParse(bytes, out _);
            act.Should().NotThrow();
        }
    }
}
