namespace LanTalk.Core.Transport;

/// <summary>A connection whose queued frames the <see cref="WriteCoalescer"/> writes itself at its next tick.</summary>
internal interface ITickFlush
{
    /// <summary>Runs on the coalescer's thread, holding the connection's write token. Must not throw or block.</summary>
    void FlushAtTick();
}
