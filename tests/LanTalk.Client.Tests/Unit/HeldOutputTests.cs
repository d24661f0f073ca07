using LanTalk.Client.Chat;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Unit;

/// <summary>While scrolled back (PageUp), new lines wait; PageDown prints them after "— now —", in order.</summary>
public sealed class HeldOutputTests
{
    [Test]
    public void Lines_pass_straight_through_until_held()
    {
        var screen = new LinesOutput();
        var held = new HeldOutput(screen);
        held.Line("one");
        held.Holding.Should().BeFalse();
        screen.Lines.Should().Equal("one");
        held.Release("now").Should().BeNull("nothing was held");
    }

    [Test]
    public void Held_lines_wait_and_come_after_the_marker_in_order_while_the_page_and_status_lines_pass()
    {
        var screen = new LinesOutput();
        var held = new HeldOutput(screen);
        held.Hold();
        held.Line("live 1");
        held.Direct("page line");
        held.Status("-- a status");
        held.Line("live 2");
        screen.Lines.Should().Equal("page line", "-- a status");

        held.Release("— now —").Should().Be(2);
        screen.Lines.Should().Equal("page line", "-- a status", "— now —", "live 1", "live 2");
        held.Holding.Should().BeFalse();
        held.Line("live 3");
        screen.Lines[^1].Should().Be("live 3");
    }

    [Test]
    public void A_hold_never_grows_past_its_cap()
    {
        var screen = new LinesOutput();
        var held = new HeldOutput(screen);
        held.Hold();
        for (int i = 0; i < HeldOutput.MaxHeld; i++)
        {
            held.Line($"line {i}");
        }

        held.Holding.Should().BeFalse("the cap released everything");
        screen.Lines.Should().HaveCount(HeldOutput.MaxHeld);
    }
}
