namespace LanTalk.Core.Transport;

/// <summary>The socket options <see cref="SocketTuning"/> sets; each is reported at most once when unavailable.</summary>
public enum TuningOption
{
    NoDelay,
    KeepAlive,
    KeepAliveIdle,
    KeepAliveInterval,
    KeepAliveProbes,
    SendBuffer,
    ReceiveBuffer,
}
