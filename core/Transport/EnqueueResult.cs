namespace LanTalk.Core.Transport;

/// <summary>Outcome of offering a frame to a session's outbound queue.</summary>
public enum EnqueueResult
{
    Queued,
    Overflow,
    Closed,

    /// <summary>
    /// Not queued: the caller now holds the write token and must write the frame itself, then call
    /// <see cref="OutboundQueue.ReturnToken"/>.
    /// </summary>
    WriteNow,
}
