using LanTalk.Server.Logging;

namespace LanTalk.Server.Tests.Unit;

/// <summary>What <see cref="LogText"/> escapes so that text from clients and files cannot forge or hide log lines.</summary>
[TestFixture]
public sealed class LogTextTests
{
    [TestCase("x\n2026-01-01 00:00:00.0000 ERROR FORGED", @"x\n2026-01-01 00:00:00.0000 ERROR FORGED")]
    [TestCase("ali\rFAKE", @"ali\rFAKE")]
    [TestCase("q\u001b[2J\rFORGED", @"q\u001B[2J\rFORGED")]
    [TestCase("a\tb\0c\u007fd", @"a\tb\u0000c\u007Fd")]
    [TestCase("csi\u009b2J nel\u0085", @"csi\u009B2J nel\u0085")]
    [TestCase("evil\u202Etxt.exe \u2066x\u2069 \u200F", @"evil\u202Etxt.exe \u2066x\u2069 \u200F")]
    [TestCase("line\u2028para\u2029", @"line\u2028para\u2029")]
    public void Controls_line_breaks_and_bidi_overrides_are_written_as_escapes(string input, string logged) =>
        LogText.Escape(input).Should().Be(logged);

    [TestCase("alice")]
    [TestCase("Zoë 日本 😀 \\n stays as typed")]
    [TestCase("")]
    public void Ordinary_text_is_kept_as_it_is(string text) =>
        LogText.Escape(text).Should().BeSameAs(text);

    [Test]
    public void A_stack_trace_keeps_its_indented_lines_but_a_message_cannot_start_a_new_one()
    {
        var builder = new System.Text.StringBuilder("prefix ");
        builder.Append("System.IO.IOException: bad\n2026-01-01 ERROR FORGED\u001b[2J\n ---> System.Exception: inner\n   at A.B()\r\n   at C.D()");

        LogText.EscapeFrom(builder, "prefix ".Length, keepIndentedLineBreaks: true);

        builder.ToString().Should().Be("prefix System.IO.IOException: bad\\n2026-01-01 ERROR FORGED\\u001B[2J\n ---> System.Exception: inner\n   at A.B()\r\n   at C.D()");
    }
}
