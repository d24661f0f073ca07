using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class DisplayWidthTests
{
    [TestCase("hello", 5)]
    [TestCase("café", 4)]
    [TestCase("cafe\u0301", 4)]
    [TestCase("日本語", 6)]
    [TestCase("한국", 4)]
    [TestCase("😀", 2)]
    [TestCase("a😀b", 4)]
    [TestCase("👍🏽", 2)]
    [TestCase("👨‍👩‍👧", 2)]
    [TestCase("❤️", 2)]
    [TestCase("🇩🇪", 2)]
    [TestCase("ＡＢ", 4)]
    [TestCase("", 0)]
    public void Counts_terminal_columns(string text, int columns)
    {
        DisplayWidth.Of(text).Should().Be(columns);
    }

    [TestCase("ab", 4, "ab  ")]
    [TestCase("中文", 6, "中文  ")]
    [TestCase("cafe\u0301", 5, "cafe\u0301 ")]
    [TestCase("中文", 3, "中文")]
    public void Pads_to_terminal_columns_not_characters(string text, int columns, string padded)
    {
        DisplayWidth.PadRight(text, columns).Should().Be(padded);
    }
}
