using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

/// <summary>Text from IRC users shows without its formatting codes, and other controls still show as symbols.</summary>
public sealed class IrcFormattingTests
{
    [TestCase("\u0002bold\u0002 plain", "bold plain")]
    [TestCase("\u000304red\u0003 \u00034,12on blue\u000F", "red on blue")]
    [TestCase("\u0003123 three digits", "3 three digits")]
    [TestCase("\u00035, comma stays", ", comma stays")]
    [TestCase("\u0003,05 no foreground", ",05 no foreground")]
    [TestCase("\u0004FF0000hex\u0004 \u000400ff00,0000FFboth", "hex both")]
    [TestCase("\u0011mono\u0016rev\u001Dit\u001Estrike\u001Funder", "monorevitstrikeunder")]
    [TestCase("no codes at all", "no codes at all")]
    public void Strip_takes_out_the_codes_and_their_colour_numbers(string text, string plain) =>
        IrcFormatting.Strip(text).Should().Be(plain);

    [Test]
    public void Visible_strips_formatting_and_still_shows_escape_as_a_symbol() =>
        MessageFormatter.Visible("\u0002bold\u0002 \u001b[31m").Should().Be("bold \u241b[31m");
}
