namespace LanTalk.Core.Transport;

/// <summary>Why a connection ended, from this side's point of view.</summary>
public enum DisconnectKind
{
    /// <summary>This side closed it on purpose (logout, shutdown, kick, timeout).</summary>
    Local,

    /// <summary>The peer closed the connection without an error.</summary>
    RemoteClosed,

    /// <summary>The peer sent an Error or ServerDisconnected frame that ends the connection.</summary>
    RemoteError,

    /// <summary>The peer broke the protocol; this side sent an Error frame and closed.</summary>
    ProtocolViolation,

    /// <summary>The peer stopped reading and its outbound queue overflowed.</summary>
    SlowConsumer,

    /// <summary>The peer went silent past the idle or login timeout.</summary>
    Timeout,

    /// <summary>A socket or TLS error: the network or the peer went away.</summary>
    ConnectionLost,

    /// <summary>A bug on this side; logged with its stack trace.</summary>
    InternalError,
}
