namespace LanTalk.Core.Transport;

/// <summary>
/// A session's bounded outbound queue. Producers (any thread) append shared frame bytes; the single writer loop
/// swaps out everything queued at once and sends it with one write. Priority frames (pong, final error) jump ahead
/// of queued messages, so keep-alive never waits behind a flood.
/// </summary>
/// <remarks>
/// <para><b>The write token.</b> Exactly one party may write to the connection's stream at a time (an SslStream
/// must never see two writers). The token is held by the writer loop, except while the loop is parked with
/// nothing queued: then a producer offering a normal frame may take it (<see cref="EnqueueResult.WriteNow"/>),
/// write that one frame from its own thread, and give it back with <see cref="ReturnToken"/>. While a producer
/// holds it, other producers only queue, and nobody wakes the writer; returning the token wakes the writer only if
/// something was queued meanwhile, the queue was completed, or the write did not finish at once (the writer then
/// finishes it). All of this is decided under <see cref="_lock"/>, so the token has one holder at any moment.</para>
/// <para>Why: waking a per-connection writer through the thread pool cost about 4 context switches and 23 us of
/// server CPU per delivery at design-32 (32 clients x 20 msg/s); a send straight from the fan-out thread costs one
/// syscall. Under heavy load the coalescer's linger is worth more than the hand-off it costs, so while the
/// coalescer reports a busy process, frames are always queued.</para>
/// </remarks>
internal sealed class OutboundQueue(int maxFrames, long maxBytes, WriteCoalescer? coalescer = null, ITickFlush? owner = null)
{
    // A peer that floods pings gets at most this many pongs queued; beyond that it is not reading.
    private const int MaxPriorityFrames = 64;

    private readonly Lock _lock = new();
    private readonly WriterSignal _signal = new();
    private List<ReadOnlyMemory<byte>> _pending = new();
    private readonly List<ReadOnlyMemory<byte>> _priority = new();
    private long _pendingBytes;
    private bool _writerWaiting;
    private bool _tokenLent;
    private bool _kicked;
    private bool _completed;

    // Every frame taken so far (queued, lent to a direct write, or the final one); see Accepted. Under the lock.
    private long _accepted;

    /// <summary>
    /// How many frames this queue has taken in all. With <see cref="StreamOutput.Written"/> it tells a producer when
    /// what it queued has been written (a stored message is marked delivered only then).
    /// </summary>
    public long Accepted => Volatile.Read(ref _accepted);

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

    // Priority frames handed to the writer so far (see PriorityCountBeyond). Under the lock.
    private long _priorityTaken;

    /// <summary>
    /// Priority frames waiting for the writer, not counting those among the first <paramref name="leading"/> ever put
    /// on the lane: the server's Hello goes first there, and must not take one of a client's 32 Pongs.
    /// </summary>
    public int PriorityCountBeyond(int leading)
    {
        lock (_lock)
        {
            long leadingStillQueued = Math.Max(0, leading - _priorityTaken);
            return _priority.Count - (int)Math.Min(leadingStillQueued, _priority.Count);
        }
    }

    /// <param name="frame">Frame bytes, possibly shared with other queues.</param>
    /// <param name="priority">Pong or the like: jumps ahead of queued messages.</param>
    /// <param name="mayWriteNow">
    /// The caller can write the frame itself (see the remarks): returns <see cref="EnqueueResult.WriteNow"/> when
    /// the writer is parked, nothing is queued and the process is not busy.
    /// </param>
    public EnqueueResult TryEnqueue(ReadOnlyMemory<byte> frame, bool priority = false, bool mayWriteNow = false)
    {
        bool wake;
        lock (_lock)
        {
            if (_completed)
            {
                return EnqueueResult.Closed;
            }

            if (mayWriteNow && !priority && _writerWaiting && _pending.Count == 0 && _priority.Count == 0 && coalescer is not { IsBusy: true })
            {
                _writerWaiting = false;
                _tokenLent = true;
                coalescer?.NoteFrames(1);
                Volatile.Write(ref _accepted, _accepted + 1);
                return EnqueueResult.WriteNow;
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

            Volatile.Write(ref _accepted, _accepted + 1);

            if (mayWriteNow && owner is not null && _writerWaiting && coalescer is { IsBusy: true })
            {
                // Busy: lend the token to the coalescer, which writes everything queued by its next tick.
                _writerWaiting = false;
                _tokenLent = true;
                coalescer.FlushAtTick(owner);
                return EnqueueResult.Queued;
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

    /// <summary>
    /// For the holder of a lent token: swaps out everything queued, priority frames first (as
    /// <see cref="TakeAllAsync"/> does), with <paramref name="spare"/> as the new pending list.
    /// </summary>
    public List<ReadOnlyMemory<byte>> TakeLent(List<ReadOnlyMemory<byte>> spare)
    {
        lock (_lock)
        {
            System.Diagnostics.Debug.Assert(_tokenLent, "TakeLent without a lent token");
            var taken = _pending;
            if (_priority.Count > 0)
            {
                _priorityTaken += _priority.Count;
                taken.InsertRange(0, _priority);
                _priority.Clear();
            }

            spare.Clear();
            _pending = spare;
            _pendingBytes = 0;
            coalescer?.NoteFrames(taken.Count);
            return taken;
        }
    }

    /// <summary>
    /// Gives back the token lent by <see cref="EnqueueResult.WriteNow"/>. <paramref name="writeInFlight"/>: the
    /// write has not finished (or failed); the writer loop must be woken to take it over. Otherwise the writer is
    /// woken only if frames were queued or the queue completed while the token was out.
    /// </summary>
    public void ReturnToken(bool writeInFlight)
    {
        bool wake;
        lock (_lock)
        {
            System.Diagnostics.Debug.Assert(_tokenLent, "ReturnToken without a lent token");
            bool hasFrames = _pending.Count > 0 || _priority.Count > 0;
            if (hasFrames && !writeInFlight && !_completed && owner is not null && coalescer is { IsBusy: true })
            {
                // Frames came in during the write and the process is busy: the token stays with the coalescer.
                coalescer.FlushAtTick(owner);
                return;
            }

            _tokenLent = false;
            wake = writeInFlight || _completed || hasFrames;
            if (writeInFlight)
            {
                _kicked = true;
            }

            // Not woken: the writer is still parked on its wait, which nobody has set.
            _writerWaiting = !wake;
        }

        if (wake)
        {
            _signal.Set();
        }
    }

    /// <summary>Queues a last frame past the limits, then refuses everything else. Used for the closing Error frame.</summary>
    /// <param name="finalFrame">The last frame, or null for none.</param>
    /// <param name="afterQueued">
    /// False: the frame jumps ahead of queued messages (ChatSocket's Error: the reason matters more than what was
    /// pending). True: it goes after them (IRC's ERROR line, which a client takes as the end of the stream).
    /// </param>
    public void CompleteWith(ReadOnlyMemory<byte>? finalFrame, bool afterQueued = false)
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
                (afterQueued ? _pending : _priority).Add(frame);
                Volatile.Write(ref _accepted, _accepted + 1);
            }

            // While the token is lent, its return wakes the writer (it sees _completed).
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
    /// Returns null when the queue is completed and empty: the writer should finish. Returns an empty list when a
    /// producer handed back the token with its write still in flight: the writer must finish that write first.
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
                if (_kicked)
                {
                    // Hand back at once, even with frames queued: they must not overtake the write in flight.
                    _kicked = false;
                    spare.Clear();
                    return spare;
                }

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
                        _priorityTaken += _priority.Count;
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
