using System.Net.Sockets;
using System.Text;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Keeps systemd from killing a start that is slow for a good reason (a history upgrade that builds the search index
/// again: about 20 s per million messages; the start-up check that reads every page of history.db: about 6 s per GB
/// from the page cache, 16 s per GB from a virtual disk, more from a spinning one). The unit is Type=notify with systemd's default 90 s start timeout, so a
/// large history was killed mid-upgrade and restarted into the same upgrade, for ever. While one of these is alive it
/// sends EXTEND_TIMEOUT_USEC (systemd 236+) at once and then every <see cref="Interval"/>, each asking for
/// <see cref="Extension"/> more, so a start that hangs for real is still ended soon after it stops making the calls.
/// Outside systemd (no NOTIFY_SOCKET: a terminal, a Windows service, the CLI's backup commands) it does nothing.
/// </summary>
internal sealed class StartTimeoutExtension : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Extension = TimeSpan.FromSeconds(30);

    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly Timer? _timer;

    private StartTimeoutExtension(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        // systemd names an abstract socket with a leading '@' (sd_notify(3)); the kernel's name starts with a NUL.
        _endPoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        // The first request before the slow step begins, not from the thread pool: a pool busy elsewhere (or a step
        // that ends first) could leave it unsent, and the step it covers was then at the mercy of the 90 s timeout.
        Send();
        _timer = new Timer(_ => Send(), null, Interval, Interval);
    }

    /// <summary>Starts extending when this process runs under systemd's notify protocol (NOTIFY_SOCKET is set).</summary>
    public static StartTimeoutExtension Begin() => Begin(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>Starts extending through <paramref name="notifySocket"/> (null or empty: not under systemd).</summary>
    public static StartTimeoutExtension Begin(string? notifySocket) => new(notifySocket);

    private void Send()
    {
        var message = Encoding.ASCII.GetBytes($"EXTEND_TIMEOUT_USEC={(long)Extension.TotalMicroseconds}");
        try
        {
            _socket!.SendTo(message, _endPoint!);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Best effort, as sd_notify is: a manager that went away or a timer tick racing Dispose changes nothing here.
        }
    }

    public void Dispose()
    {
        // Dispose(WaitHandle) would wait for a running tick; a tick that meets the closed socket is caught above.
        _timer?.Dispose();
        _socket?.Dispose();
    }
}
