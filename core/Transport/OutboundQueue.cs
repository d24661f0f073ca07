namespace LanTalk.Core.Transport;

/// <summary>Outcome of offering a frame to a session's outbound queue.</summary>
public enum EnqueueResult
{
    Queued,
    Overflow,
    Closed,
}

/// <summary>
/// A session's bounded outbound queue. Producers (any thread) append shared frame bytes; the single writer loop
/// swaps out everything queued at once and sends it with one write. Priority frames (pong, final error) jump ahead
/// of queued messages, so keep-alive never waits behind a flood.
/// </summary>
internal sealed class OutboundQueue(int maxFrames, long maxBytes, WriteCoalescer? coalescer = null)
{
    // A peer that floods pings gets at most this many pongs queued; beyond that it is not reading.
    private const int MaxPriorityFrames = 64;

    private readonly Lock _lock = new();
    private readonly WriterSignal _signal = new();
    private List<ReadOnlyMemory<byte>> _pending = new();
    private readonly List<ReadOnlyMemory<byte>> _priority = new();
    private long _pendingBytes;
    private bool _writerWaiting;
    private bool _completed;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count + _priority.Count;
            }
        }
    }

    /// <summary>Priority frames waiting for the writer.</summary>
    public int PriorityCount
    {
        get
        {
            lock (_lock)
            {
                return _priority.Count;
            }
        }
    }

    public EnqueueResult TryEnqueue(ReadOnlyMemory<byte> frame, bool priority = false)
    {
        bool wake;
        lock (_lock)
        {
            if (_completed)
            {
                return EnqueueResult.Closed;
            }

            if (priority)
            {
                if (_priority.Count >= MaxPriorityFrames)
                {
                    return EnqueueResult.Overflow;
                }

                _priority.Add(frame);
            }
            else
            {
                if (_pending.Count >= maxFrames || _pendingBytes + frame.Length > maxBytes)
                {
                    return EnqueueResult.Overflow;
                }

                _pending.Add(frame);
                _pendingBytes += frame.Length;
            }

            wake = _writerWaiting;
            _writerWaiting = false;
        }

        if (wake)
        {
            _signal.Set();
        }

        return EnqueueResult.Queued;
    }

    /// <summary>Queues a last frame past the limits, then refuses everything else. Used for the closing Error frame.</summary>
    public void CompleteWith(ReadOnlyMemory<byte>? finalFrame)
    {
        bool wake;
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            if (finalFrame is { } frame)
            {
                _priority.Add(frame);
            }

            _completed = true;
            wake = _writerWaiting;
            _writerWaiting = false;
        }

        if (wake)
        {
            _signal.Set();
        }
    }

    /// <summary>
    /// Waits for work and hands back everything queued, priority frames first. <paramref name="spare"/> is an empty
    /// list that becomes the new pending list, so draining swaps lists instead of copying frames. While the
    /// coalescer reports a busy process, waits once for its tick first so that more frames go in one write.
    /// Returns null when the queue is completed and empty: the writer should finish.
    /// </summary>
    public async ValueTask<List<ReadOnlyMemory<byte>>?> TakeAllAsync(List<ReadOnlyMemory<byte>> spare)
    {
        bool lingered = false;
        while (true)
        {
            bool linger = false;
            lock (_lock)
            {
                bool hasFrames = _priority.Count > 0 || _pending.Count > 0;
                if (hasFrames && !lingered && !_completed && coalescer is { IsBusy: true })
                {
                    // _writerWaiting stays false, so producers do not wake us: only the coalescer's tick does.
                    linger = true;
                }
                else if (hasFrames)
                {
                    var taken = _pending;
                    if (_priority.Count > 0)
                    {
                        taken.InsertRange(0, _priority);
                        _priority.Clear();
                    }

                    spare.Clear();
                    _pending = spare;
                    _pendingBytes = 0;
                    coalescer?.NoteFrames(taken.Count);
                    return taken;
                }
                else if (_completed)
                {
                    return null;
                }
                else
                {
                    _writerWaiting = true;
                }
            }

            if (linger)
            {
                lingered = true;
                await coalescer!.LingerAsync(_signal).ConfigureAwait(false);
            }
            else
            {
                await _signal.WaitAsync().ConfigureAwait(false);
            }
        }
    }
}
