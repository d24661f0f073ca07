using LanTalk.Core.Protocol;

namespace LanTalk.Core.Transport;

/// <summary>Per-connection transport settings. Immutable; shared by every connection of a server or harness.</summary>
public sealed record ChatConnectionOptions
{
    /// <summary>Limits applied to frames this side receives.</summary>
    public ProtocolLimits Limits { get; init; } = ProtocolLimits.Default;

    /// <summary>
    /// 8,192 frames is about 12 s of design-32 traffic (640 frames/s) for one reader: long enough to ride out
    /// a GC pause or a busy terminal, short enough that a peer which stopped reading is cut off quickly.
    /// </summary>
    public int MaxQueuedFrames { get; init; } = 8192;

    /// <summary>Byte cap on the same queue, so a few huge frames cannot pin memory either (4 MiB).</summary>
    public long MaxQueuedBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>
    /// After a final Error frame, how long to keep draining the peer's input before closing. Closing with unread
    /// input makes the kernel send RST, which can destroy the Error frame before the peer reads it.
    /// </summary>
    public TimeSpan CloseLinger { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes copied into one write when coalescing queued frames.</summary>
    public int WriteBufferSize { get; init; } = 64 * 1024;

    public static ChatConnectionOptions Default { get; } = new();
}
