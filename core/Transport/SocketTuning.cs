using System.Net.Sockets;

namespace LanTalk.Core.Transport;

/// <summary>
/// Socket options every LanTalk connection uses, on both ends. Every one of them is tuning, not correctness, so each
/// is set best effort: a platform that lacks one (Wine answers TCP_KEEPCNT with WSAEOPNOTSUPP) gets a one-time
/// report through <see cref="TuningReport"/> and a connection that works without it, instead of a dropped connection.
/// </summary>
public static class SocketTuning
{
    /// <summary>TCP keep-alive as in the original design: first probe after 10 idle minutes.</summary>
    public const int KeepAliveIdleSeconds = 600;

    /// <summary>Then a probe every 60 s.</summary>
    public const int KeepAliveIntervalSeconds = 60;

    /// <summary>Five unanswered probes and the kernel declares the peer dead.</summary>
    public const int KeepAliveProbes = 5;

    /// <summary>Where this process's tools hear about missing options; each host sets its handler once at start.</summary>
    public static TuningReport Report { get; } = new();

    /// <summary>
    /// Sets TCP_NODELAY (we batch in user space, so Nagle only adds its 40 ms delayed-ACK floor) and keep-alive
    /// through the cross-platform socket options; the 2008 code used a Windows-only IOControl that failed on Linux.
    /// Never throws for an option the platform lacks.
    /// </summary>
    public static void Apply(Socket socket, TuningReport? report = null)
    {
        report ??= Report;
        Try(socket, TuningOption.NoDelay, 1, report);
        Try(socket, TuningOption.KeepAlive, 1, report);
        Try(socket, TuningOption.KeepAliveIdle, KeepAliveIdleSeconds, report);
        Try(socket, TuningOption.KeepAliveInterval, KeepAliveIntervalSeconds, report);
        Try(socket, TuningOption.KeepAliveProbes, KeepAliveProbes, report);
    }

    /// <summary>SO_SNDBUF, best effort: the kernel's default still works, only with other memory and latency.</summary>
    public static void TrySetSendBuffer(Socket socket, int bytes, TuningReport? report = null) =>
        Try(socket, TuningOption.SendBuffer, bytes, report ?? Report);

    /// <summary>SO_RCVBUF, best effort (see <see cref="TrySetSendBuffer"/>).</summary>
    public static void TrySetReceiveBuffer(Socket socket, int bytes, TuningReport? report = null) =>
        Try(socket, TuningOption.ReceiveBuffer, bytes, report ?? Report);

    private static void Try(Socket socket, TuningOption option, int value, TuningReport report)
    {
        try
        {
            switch (option)
            {
                case TuningOption.NoDelay:
                    socket.NoDelay = value != 0;
                    break;
                case TuningOption.KeepAlive:
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, value != 0);
                    break;
                case TuningOption.KeepAliveIdle:
                    socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, value);
                    break;
                case TuningOption.KeepAliveInterval:
                    socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, value);
                    break;
                case TuningOption.KeepAliveProbes:
                    socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, value);
                    break;
                case TuningOption.SendBuffer:
                    socket.SendBufferSize = value;
                    break;
                case TuningOption.ReceiveBuffer:
                    socket.ReceiveBufferSize = value;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(option));
            }
        }
        catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException or NotSupportedException)
        {
            // A disposed socket (ObjectDisposedException) is not a missing option: that one still propagates.
            report.Failed(option, ex);
        }
    }
}
