using System.Text;
using LanTalk.Client.Connection;
using LanTalk.Client.Settings;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.App;

/// <summary>
/// Everything lantalk takes from the outside world, in one record, so tests can run whole commands in process
/// with their own streams, folders, time zone and reconnect timing.
/// </summary>
internal sealed record AppEnvironment
{
    public required TextReader In { get; init; }

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>True when stdin is a pipe or file: lantalk then sends line by line instead of running the editor.</summary>
    public bool IsInputRedirected { get; init; }

    public bool IsOutputRedirected { get; init; }

    /// <summary>
    /// A terminal that understands no escape sequences (TERM=dumb, or no TERM at all outside Windows: an Emacs
    /// shell buffer, a serial console, some CI runners). lantalk then chats line by line as with a pipe, in plain
    /// text: no line editor (it moves the cursor with ESC[K and ESC[nC) and no colour.
    /// </summary>
    public bool PlainTerminal { get; init; }

    /// <summary>True for a TERM value that means "no escape sequences"; Windows consoles set no TERM and are not dumb.</summary>
    public static bool IsPlainTerm(string? term, bool windows) => !windows && (string.IsNullOrWhiteSpace(term) || term.Trim() == "dumb");

    public required Func<string, string?> GetVariable { get; init; }

    public required AppPaths Paths { get; init; }

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    public ReconnectPolicy Reconnect { get; init; } = ReconnectPolicy.Default;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a piped lantalk whose input has ended keeps trying to reconnect to send what is left; then it gives up,
    /// names the unsent lines and exits 9. It waited for ever for a server that was gone (an outside client audit, F11).
    /// </summary>
    public TimeSpan PipeOfflineLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long 'lantalk servers' and a start without a server listen for mDNS answers; 2 s covers a busy LAN's responders.</summary>
    public TimeSpan BrowseDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The LAN browser; tests replace it with a fixed answer.</summary>
    public Func<TimeSpan, CancellationToken, Task<LanTalk.Core.Discovery.BrowseResult>> Browse { get; init; } =
        static (duration, cancellationToken) => LanTalk.Core.Discovery.MdnsBrowser.BrowseAsync(duration, cancellationToken: cancellationToken);

    /// <summary>The real console; only interactive mode and the password prompt use it.</summary>
    public Func<IInteractiveTerminal> Terminal { get; init; } = static () => new SystemTerminal();

    public static AppEnvironment FromConsole()
    {
        // UTF-8 both ways whatever LANG says: names and messages are Unicode, and the archive is UTF-8.
        var utf8 = new UTF8Encoding(false);
        Console.OutputEncoding = utf8;
        if (Console.IsInputRedirected)
        {
            Console.InputEncoding = utf8;
        }

        return new AppEnvironment
        {
            In = Console.In,
            Out = Console.Out,
            Error = Console.Error,
            IsInputRedirected = Console.IsInputRedirected,
            IsOutputRedirected = Console.IsOutputRedirected,
            PlainTerminal = IsPlainTerm(Environment.GetEnvironmentVariable("TERM"), OperatingSystem.IsWindows()),
            GetVariable = Environment.GetEnvironmentVariable,
            Paths = AppPaths.FromEnvironment(),
        };
    }
}
