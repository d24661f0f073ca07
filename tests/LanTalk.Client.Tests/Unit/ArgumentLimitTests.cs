using LanTalk.Client.Chat;
using LanTalk.Client.Cli;

namespace LanTalk.Client.Tests.Unit;

/// <summary>
/// A typed argument longer than the protocol field it goes into is refused with an error line before anything is
/// sent: the server closed the session over it, lantalk reconnected, and /msg said the message "may not have been
/// delivered" although it never was (an outside audit, a-lib, MED 6).
/// </summary>
public sealed class ArgumentLimitTests
{
    private static readonly string Name300 = new('x', 300);
    private static readonly string Text5000 = new('y', 5000);

    private static IEnumerable<TestCaseData> TooLong()
    {
        yield return new TestCaseData($"/msg {Name300} hi", "name too long: 300 bytes, at most 128");
        yield return new TestCaseData($"/who {Name300}", "name too long: 300 bytes, at most 128");
        yield return new TestCaseData($"/invite {Name300}", "name too long: 300 bytes, at most 128");
        yield return new TestCaseData($"/kick {Name300}", "name too long: 300 bytes, at most 128");
        yield return new TestCaseData($"/kick bob {Text5000}", "reason too long: 5000 bytes, at most 4096");
        yield return new TestCaseData($"/part #dev {Text5000}", "reason too long: 5000 bytes, at most 4096");
        yield return new TestCaseData($"/topic {Text5000}", "topic too long: 5000 bytes, at most 4096");
        yield return new TestCaseData($"/away {Text5000}", "away text too long: 5000 bytes, at most 4096");
        yield return new TestCaseData($"/search {Text5000}", "search text too long: 5000 bytes, at most 4096");
        // Bytes, not characters: 50 three-byte letters are 150 bytes.
        yield return new TestCaseData($"/msg {new string('中', 50)} hi", "name too long: 150 bytes, at most 128");
    }

    private static IEnumerable<TestCaseData> Named() => TooLong().Select(c => c.SetArgDisplayNames(((string)c.Arguments[0]!)[..12], (string)c.Arguments[1]!));

    [TestCaseSource(nameof(Named))]
    public void A_command_argument_too_long_for_its_protocol_field_is_refused_before_sending(string line, string error)
    {
        var input = ChatInputParser.Parse(line);

        input.Should().BeOfType<InvalidInput>().Which.Message.Should().StartWith(error).And.Contain("nothing was sent");
    }

    [TestCase("/msg bob hi")]
    [TestCase("/away gone fishing")]
    [TestCase("/kick bob spam")]
    public void Arguments_within_the_limits_pass(string line)
    {
        ChatInputParser.Parse(line).Should().NotBeOfType<InvalidInput>();
        ChatInputParser.Parse($"/msg {new string('n', 128)} hi").Should().BeOfType<PrivateMessageInput>("128 bytes fit");
        ChatInputParser.Parse($"/search {new string('s', 4096)}").Should().BeOfType<SearchInput>("4,096 bytes fit");
    }

    [Test]
    public void Send_refuses_a_recipient_too_long_for_a_user_name()
    {
        CliParser.TryParse(["send", "--to", Name300, "hi"], out _, out string error).Should().BeFalse();

        error.Should().Be("--to: name too long: 300 bytes, at most 128; nothing was sent");
    }
}
