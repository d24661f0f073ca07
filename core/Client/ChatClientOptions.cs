using System.Net;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Client;

/// <summary>Wraps the raw TCP stream before the protocol starts (TLS, for example). Returns the stream to use.</summary>
public delegate ValueTask<Stream> StreamWrapper(Stream tcpStream, string host, CancellationToken cancellationToken);

/// <summary>Settings for one <see cref="ChatClient"/>. Immutable, so thousands of clients can share one instance.</summary>
public sealed record ChatClientOptions
{
    /// <summary>
    /// Protocol version to speak: 2 (default) or 3 for rooms, several sessions and history. Only a v3 client may
    /// call the room methods (<see cref="ChatClient.JoinRoomAsync"/> and the rest).
    /// </summary>
    public ushort Version { get; init; } = Protocol.ProtocolLimits.CurrentVersion;

    /// <summary>Sent in ClientHello; shows in server logs and, in v3, in other users' WhoIs.</summary>
    public string ClientName { get; init; } = "LanTalk.Core";

    /// <summary>
    /// A session that sends and leaves (ClientHello flag OneShot): the server delivers it no stored private messages
    /// and no pending receipts, which then wait for a session someone reads. For scripts and probes, not chats.
    /// </summary>
    public bool OneShot { get; init; }

    /// <summary>TCP connect plus the server's Hello must finish within this time.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long login, a confirmed send or a user-list request may wait for the server.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a confirmed send waits for its echo; null = <see cref="RequestTimeout"/>. <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits as long as the connection lives (the keep-alive ends a dead one): a server that is slow to commit (a
    /// stalled disk, a paused machine) is not a lost connection, and calling its message unconfirmed invited a resend
    /// that arrived twice (a UX audit, 2026-12-06).
    /// </summary>
    public TimeSpan? ConfirmTimeout { get; init; }

    /// <summary>
    /// Overrides the ping interval the server announces; null uses the server's value. Below 1 s it counts as 1 s, and
    /// keep-alive pings go at least 1 s apart: the server ends a session that pings faster (PROTOCOL.md, Keep-alive).
    /// </summary>
    public TimeSpan? PingInterval { get; init; }

    /// <summary>Binds the client socket to this local address first (the harness spreads clients over 127.0.0.x).</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>Optional layer over the TCP stream, such as TLS.</summary>
    public StreamWrapper? WrapStream { get; init; }

    /// <summary>
    /// When false, chat messages are not decoded into <see cref="ChatMessage"/> objects or raised as events; a load
    /// generator reads them from <see cref="ChatClient.FrameObserver"/> without allocating. The client's own requests
    /// still work: the echo of a pending confirmed send and the messages of an open History or Search page are
    /// decoded (and not raised); a join's replay is not raised either.
    /// </summary>
    public bool DecodeMessages { get; init; } = true;

    public ChatConnectionOptions Connection { get; init; } = ChatConnectionOptions.Default;

    public static ChatClientOptions Default { get; } = new();
}
