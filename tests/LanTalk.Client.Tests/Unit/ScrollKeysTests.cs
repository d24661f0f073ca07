using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

/// <summary>The keys taken before the line editor: PageUp and PageDown scroll the transcript.</summary>
public sealed class ScrollKeysTests
{
    [Test]
    public void PageUp_and_PageDown_scroll_and_other_keys_do_not()
    {
        var pressed = new List<string>();
        bool Handle(ConsoleKey key, ConsoleModifiers modifiers = 0) =>
            ScrollKeys.Handle(new ConsoleKeyInfo('\0', key, (modifiers & ConsoleModifiers.Shift) != 0, (modifiers & ConsoleModifiers.Alt) != 0, (modifiers & ConsoleModifiers.Control) != 0),
                () => pressed.Add("up"), () => pressed.Add("down"));

        Handle(ConsoleKey.PageUp).Should().BeTrue();
        Handle(ConsoleKey.PageDown).Should().BeTrue();
        Handle(ConsoleKey.UpArrow).Should().BeFalse();
        Handle(ConsoleKey.PageUp, ConsoleModifiers.Shift).Should().BeFalse("Shift+PageUp is the terminal's own scrollback");
        pressed.Should().Equal("up", "down");
    }
}
