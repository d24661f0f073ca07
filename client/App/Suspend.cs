using System.Runtime.InteropServices;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.App;

/// <summary>
/// Ctrl+Z: stops the chat and returns to the shell, as vim, less and irssi do, until `fg`. The key reader gets Ctrl+Z
/// as a key (the terminal does not turn it into SIGTSTP while Ctrl+C is read as a key), so without this it did nothing,
/// and the shell commands typed next (`git pull`, `fg`) went to the room as chat (a UX audit, 2026-12-05).
/// </summary>
internal static partial class Suspend
{
    /// <summary>Whether this platform can stop a process for its shell (job control).</summary>
    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>
    /// Hands the terminal back (<paramref name="release"/>), stops this process with SIGTSTP, and once the shell
    /// continues it, takes the terminal again (<paramref name="resume"/>). The connection stays up: the server's
    /// keep-alive waits 45 s, and what arrives meanwhile is shown after `fg`.
    /// </summary>
    public static void ToShell(Action release, Action resume)
    {
        if (!Supported)
        {
            return;
        }

        release();
        try
        {
            _ = Kill(Environment.ProcessId, OperatingSystem.IsMacOS() ? 18 : 20);
        }
        finally
        {
            resume();
        }
    }

    /// <summary>
    /// Redraws the input row whenever the process is continued (SIGCONT, after `fg`): also when the terminal itself
    /// stopped it. .NET reads keys with the terminal's signal keys off only while a read is under way, so a Ctrl+Z that
    /// lands between two reads is the terminal's SIGTSTP, not a key, and nothing of ours ran before the stop.
    /// </summary>
    public static IDisposable? RedrawOnContinue(LineEditor editor) =>
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? PosixSignalRegistration.Create(PosixSignal.SIGCONT, _ => editor.Resized()) : null;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
