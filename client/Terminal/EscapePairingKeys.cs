using System.Diagnostics;

using LanTalk.Core.Terminal;

namespace LanTalk.Client.Terminal;

/// <summary>
/// Joins an Escape and the key right after it into the Alt+key a terminal meant, when .NET gave them as two keys.
/// </summary>
/// <remarks>
/// A terminal sends Alt+0 as ESC then '0'. .NET's key parser pairs them only when both bytes come in the same read;
/// on a loaded machine they came in two, and the chat got Escape and then a typed '0' ("alice: 0typed after Alt+0";
/// a flaky test). Terminals and line editors wait a short while after a lone ESC for this reason (readline's
/// keyseq-timeout, vim's ttimeoutlen): so does this, and pairs only the keys the client binds with Alt, so that an
/// Escape pressed on its own still arrives, followed by the next key unchanged.
/// </remarks>
internal sealed class EscapePairingKeys(IKeySource inner, TimeSpan timeout) : IKeySource
{
    /// <summary>The wait for the key after a lone ESC: far above the gap between two reads of one sequence, below a person's.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(100);

    private ConsoleKeyInfo? _next;

    public EscapePairingKeys(IKeySource inner)
        : this(inner, DefaultTimeout)
    {
    }

    public bool KeyAvailable => _next is not null || inner.KeyAvailable;

    public ConsoleKeyInfo ReadKey()
    {
        if (_next is { } held)
        {
            _next = null;
            return held;
        }

        var key = inner.ReadKey();
        if (key.Key != ConsoleKey.Escape || key.Modifiers != 0 || !Follows())
        {
            return key;
        }

        var after = inner.ReadKey();
        if (IsAltBound(after))
        {
            bool shift = (after.Modifiers & ConsoleModifiers.Shift) != 0;
            bool control = (after.Modifiers & ConsoleModifiers.Control) != 0;
            return new ConsoleKeyInfo(after.KeyChar, after.Key, shift, alt: true, control);
        }

        // Not one of ours: the Escape as it came, then this key as usual.
        _next = after;
        return key;
    }

    /// <summary>Alt+0..9 (rooms), Alt+B and Alt+F (word motion) and Alt+Backspace (delete a word).</summary>
    private static bool IsAltBound(ConsoleKeyInfo key) =>
        (key.Modifiers & ConsoleModifiers.Alt) == 0
        && (key.KeyChar is >= '0' and <= '9' or 'b' or 'f' or 'B' or 'F' || key.Key == ConsoleKey.Backspace);

    /// <summary>Whether another key arrives within the timeout; polled, as Console has no timed read.</summary>
    private bool Follows()
    {
        var clock = Stopwatch.StartNew();
        while (!inner.KeyAvailable)
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }
}
