using System.Runtime.InteropServices;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.App;

/// <summary>Tells the line editor when the window changes size (SIGWINCH), so it can repaint before the next output.</summary>
internal static class TerminalResize
{
    public static IDisposable? Watch(LineEditor editor)
    {
        // Windows has no SIGWINCH; the editor picks the new width up at the next redraw there.
        return OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => editor.Resized());
    }
}
