namespace LanTalk.Client.Chat;

/// <summary>PageUp and PageDown, taken before the line editor sees them: they scroll the transcript, not the input.</summary>
internal static class ScrollKeys
{
    /// <summary>Runs the scroll action for a plain PageUp or PageDown; false for every other key.</summary>
    public static bool Handle(ConsoleKeyInfo key, Action pageUp, Action pageDown)
    {
        if (key.Modifiers != 0)
        {
            // Shift+PageUp belongs to the terminal's own scrollback where it has one; leave modified keys alone.
            return false;
        }

        switch (key.Key)
        {
            case ConsoleKey.PageUp:
                pageUp();
                return true;
            case ConsoleKey.PageDown:
                pageDown();
                return true;
            default:
                return false;
        }
    }
}
