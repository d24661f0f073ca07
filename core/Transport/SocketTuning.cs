using System.Net.Sockets;

namespace LanTalk.Core.Transport;

/// <summary>Socket options every LanTalk connection uses, on both ends.</summary>
public static class SocketTuning
{
    /// <summary>TCP keep-alive as in the original design: first probe after 10 idle minutes.</summary>
    public const int KeepAliveIdleSeconds = 600;

    /// <summary>Then a probe every 60 s.</summary>
    public const int KeepAliveIntervalSeconds = 60;

    /// <summary>Five unanswered probes and the kernel declares the peer dead.</summary>
    public const int KeepAliveProbes = 5;

    /// <summary>
    /// Sets TCP_NODELAY (we batch in user space, so Nagle only adds its 40 ms delayed-ACK floor) and keep-alive
    /// through the cross-platform socket options; the 2008 code used a Windows-only IOControl that failed on Linux.
    /// </summary>
    public static void Apply(Socket socket)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, KeepAliveIdleSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, KeepAliveIntervalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, KeepAliveProbes);
    }
}
