using LanTalk.Core.Protocol;

namespace LanTalk.Core.Transport;

/// <summary>Per-connection transport settings. Immutable; shared by every connection of a server or harness.</summary>
public sealed record ChatConnectionOptions
{
    /// <summary>Limits applied to frames this side receives.</summary>
    public ProtocolLimits Limits { get; init; } = ProtocolLimits.Default;

    /// <summary>
    /// 65,536 frames: one reader may fall a whole burst behind (32 senders × 2,000 messages) and catch up, instead
    /// of being dropped as InspIRCd drops clients under bursts. A peer that stopped reading is cut off long before
    /// this by the server's send-stall check, so the bound matters only for slow-but-alive readers.
    /// </summary>
    public int MaxQueuedFrames { get; init; } = 65536;

    /// <summary>
    /// Byte cap on the same queue (8 MiB), so large frames cannot pin more memory per client. Broadcast frames are
    /// shared between queues, so this counts a frame once per queue but it is stored once.
    /// </summary>
    public long MaxQueuedBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>
    /// After a final Error frame, how long to keep draining the peer's input before closing. Closing with unread
    /// input makes the kernel send RST, which can destroy the Error frame before the peer reads it.
    /// </summary>
    public TimeSpan CloseLinger { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Writers wait up to one tick of this coalescer before sending while the process is busy (see
    /// <see cref="WriteCoalescer"/>). Null: every write goes out at once (clients, and the default).
    /// </summary>
    public WriteCoalescer? Coalescer { get; init; }

    /// <summary>
    /// When the writer is idle and nothing is queued, the thread that enqueues a frame writes it itself (see
    /// <see cref="OutboundQueue"/>'s write token) instead of waking the writer. False: every frame goes through the
    /// writer loop, as before issue 12 (kept for side-by-side measurements).
    /// </summary>
    public bool DirectWrites { get; init; } = true;

    /// <summary>Bytes copied into one write when coalescing queued frames.</summary>
    public int WriteBufferSize { get; init; } = 64 * 1024;

    public static ChatConnectionOptions Default { get; } = new();
}
