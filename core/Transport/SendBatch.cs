using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace LanTalk.Core.Transport;

/// <summary>
/// Gathers the frames a fan-out writes straight to idle sockets on this thread (<see cref="StreamOutput.WriteNow"/>) and
/// hands them to the kernel together, in one io_uring submission, when the outermost <see cref="Open"/> scope ends.
/// </summary>
/// <remarks>
/// Each gathered frame's connection keeps its lent write token (<see cref="OutboundQueue"/>) until the flush, so the
/// ownership rule is unchanged: only the token's holder writes, and frames queued meanwhile go out after this one.
/// Only plain sockets are gathered: an SslStream encrypts on the writing thread and keeps its own state, so TLS
/// connections write at once as before. Where io_uring cannot be had (not Linux, a kernel before 6.0, a sandbox
/// that forbids it, LANTALK_IO_URING=0) every frame is written at once, as without a scope.
/// </remarks>
public static class SendBatch
{
    [ThreadStatic]
    private static Gathered? t_gathered;

    /// <summary>Opens a scope on this thread; scopes nest, and the outermost one's end sends what was gathered.</summary>
    public static Scope Open()
    {
        var gathered = t_gathered ??= new Gathered();
        gathered.Depth++;
        return new Scope(gathered);
    }

    /// <summary>Takes the frame for the flush; false when no scope is open here (the caller writes it itself).</summary>
    /// <param name="output">The connection, whose lent token the caller holds.</param>
    /// <param name="socket">Its socket.</param>
    /// <param name="frame">The bytes to send: one frame, or a tick's batch copied into <paramref name="rented"/>.</param>
    /// <param name="frames">How many frames <paramref name="frame"/> holds (the connection counts them written).</param>
    /// <param name="rented">A pooled buffer to return once the bytes are written, or null.</param>
    /// <param name="tick">Written by the coalescer's tick, not by a producer.</param>
    internal static bool TryAdd(StreamOutput output, Socket socket, ReadOnlyMemory<byte> frame, int frames = 1, byte[]? rented = null, bool tick = false)
    {
        var gathered = t_gathered;
        if (gathered is not { Depth: > 0 } || !Uring.Available)
        {
            return false;
        }

        gathered.Entries.Add(new Entry(output, socket.SafeHandle, frame, frames, rented, tick));
        if (gathered.Entries.Count >= FlushEvery)
        {
            gathered.Flush();
        }

        return true;
    }

    /// <summary>Frames this thread has handed to an io_uring so far (tests: whether a flush went that way).</summary>
    internal static long SubmittedOnThisThread => t_gathered?.Submitted ?? 0;

    // A large fan-out is sent in submissions of this many as it goes, so the first recipients' frames (and their
    // connections' write tokens) are not held back for the whole loop: held for all of a 1,000-member fan-out, IRC
    // crowd's p99 rose by half (docs/PERFORMANCE.md). design-32's 31 copies still go in one submission.
    internal const int FlushEvery = 64;

    /// <summary>The end of a scope opened by <see cref="Open"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly Gathered _gathered;

        internal Scope(Gathered gathered) => _gathered = gathered;

        public void Dispose()
        {
            if (_gathered is { } gathered && --gathered.Depth == 0 && gathered.Entries.Count > 0)
            {
                gathered.Flush();
            }
        }
    }

    internal readonly record struct Entry(StreamOutput Output, SafeSocketHandle Handle, ReadOnlyMemory<byte> Frame, int Frames, byte[]? Rented, bool Tick);

    /// <summary>One thread's gathered frames; touched by that thread only.</summary>
    internal sealed class Gathered
    {
        private readonly int[] _fds = new int[Uring.Entries];
        private readonly nint[] _data = new nint[Uring.Entries];
        private readonly int[] _lengths = new int[Uring.Entries];
        private readonly int[] _results = new int[Uring.Entries];
        private readonly int[] _slotOf = new int[Uring.Entries];
        private readonly bool[] _referenced = new bool[Uring.Entries];
        private readonly List<MemoryHandle> _pins = [];
        private List<Entry> _flushing = [];

        public int Depth;
        public long Submitted;
        public List<Entry> Entries = [];

        public void Flush()
        {
            // Swapped out first: a completion that queues or writes on this thread sees no open scope and no entries.
            (_flushing, Entries) = (Entries, _flushing);
            var ring = Uring.Rent();
            int completed = 0;
            bool clean = false;
            try
            {
                for (int start = 0; start < _flushing.Count; start += Uring.Entries)
                {
                    int count = Math.Min(Uring.Entries, _flushing.Count - start);
                    long perFrame = 0;
                    if (ring is not null)
                    {
                        long began = Stopwatch.GetTimestamp();
                        bool intact = Send(ring, start, count);
                        perFrame = (Stopwatch.GetTimestamp() - began) / count;
                        if (!intact)
                        {
                            Uring.Return(ring, intact: false);
                            ring = null;
                        }
                    }
                    else
                    {
                        _slotOf.AsSpan(0, count).Fill(-1);
                    }

                    for (int i = 0; i < count; i++)
                    {
                        var entry = _flushing[start + i];
                        int sent = _slotOf[i] >= 0 ? _results[_slotOf[i]] : int.MinValue;
                        completed = start + i + 1;
                        entry.Output.CompleteGathered(entry.Frame, sent, perFrame, entry.Frames, entry.Rented, entry.Tick);
                    }
                }

                clean = true;
            }
            finally
            {
                // Every lent token goes back, whatever failed above: what was not completed is written through its stream.
                for (int i = completed; i < _flushing.Count; i++)
                {
                    _flushing[i].Output.CompleteGathered(_flushing[i].Frame, int.MinValue, 0, _flushing[i].Frames, _flushing[i].Rented, _flushing[i].Tick);
                }

                if (ring is not null)
                {
                    // After an exception the ring's state is not known: it is closed, not reused.
                    Uring.Return(ring, intact: clean);
                }

                _flushing.Clear();
            }
        }

        // Sends _flushing[start..start+count) in one submission; _slotOf and _results say how each went. False: the ring is spent.
        private unsafe bool Send(Uring ring, int start, int count)
        {
            int slots = 0;
            bool intact = true;
            _slotOf.AsSpan(0, count).Fill(-1);
            _referenced.AsSpan(0, count).Clear();
            try
            {
                ReadOnlyMemory<byte> pinned = default;
                nint pinnedAt = 0;
                for (int i = 0; i < count; i++)
                {
                    var entry = _flushing[start + i];
                    try
                    {
                        // Held until the send is done: a socket closed meanwhile must not give its number to another.
                        entry.Handle.DangerousAddRef(ref _referenced[i]);
                    }
                    catch (ObjectDisposedException)
                    {
                        continue; // written through the stream below, which reports the closed socket as usual
                    }

                    if (!entry.Frame.Equals(pinned))
                    {
                        // A fan-out's recipients share one frame: it is pinned once.
                        var pin = entry.Frame.Pin();
                        _pins.Add(pin);
                        pinned = entry.Frame;
                        pinnedAt = (nint)pin.Pointer;
                    }

                    _fds[slots] = (int)entry.Handle.DangerousGetHandle();
                    _data[slots] = pinnedAt;
                    _lengths[slots] = entry.Frame.Length;
                    _slotOf[i] = slots++;
                }

                intact = slots == 0 || ring.SendAll(_fds.AsSpan(0, slots), _data.AsSpan(0, slots), _lengths.AsSpan(0, slots), _results);
                Submitted += slots;
            }
            finally
            {
                for (int i = 0; i < count; i++)
                {
                    if (_referenced[i])
                    {
                        _flushing[start + i].Handle.DangerousRelease();
                    }
                }

                foreach (var pin in _pins)
                {
                    pin.Dispose();
                }

                _pins.Clear();
            }

            return intact;
        }
    }
}
