using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class InputHistoryTests
{
    [Test]
    public void Skips_blank_lines_and_immediate_repeats()
    {
        var history = new InputHistory();
        history.Add("a");
        history.Add("a");
        history.Add("  ");
        history.Add("b");
        history.Count.Should().Be(2);
    }

    [Test]
    public void Keeps_only_the_newest_lines()
    {
        var history = new InputHistory(capacity: 2);
        history.Add("1");
        history.Add("2");
        history.Add("3");
        history.Previous(string.Empty).Should().Be("3");
        history.Previous(string.Empty).Should().Be("2");
        history.Previous(string.Empty).Should().BeNull();
    }

    [Test]
    public void Next_past_the_newest_returns_the_draft_then_nothing()
    {
        var history = new InputHistory();
        history.Add("old");
        history.Previous("typing").Should().Be("old");
        history.Next().Should().Be("typing");
        history.Next().Should().BeNull();
    }
}
