using System.Buffers;
using System.IO.Pipelines;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Transport;

public sealed partial class ChatConnection
{
    private async Task ReadLoopAsync(FrameHandler onFrame)
    {
        // Zero-byte reads: an idle connection waits without holding a receive buffer, which keeps idle RSS small.
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_readCancel.Token).ConfigureAwait(false);
                Volatile.Write(ref _lastReceivedTicks, Environment.TickCount64);
                var buffer = result.Buffer;
                if (IsClosing)
                {
                    // Draining after a final frame: discard input until the peer closes or the linger ends.
                    reader.AdvanceTo(buffer.End);
                }
                else
                {
                    long unread = buffer.Length;
                    if (DispatchFrames(ref buffer, onFrame) is { } gate)
                    {
                        // A frame waits for the gate: nothing after it is read meanwhile. Not even examined, so the
                        // next ReadAsync returns the same bytes at once, and that frame is dispatched first.
                        Volatile.Write(ref _partialFrameSinceTicks, 0);
                        reader.AdvanceTo(buffer.Start);
                        await WaitAtGateAsync(gate).ConfigureAwait(false);
                        continue;
                    }

                    NotePartialFrame(buffer.Length, consumed: buffer.Length != unread);
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    if (!IsClosing && !buffer.IsEmpty)
                    {
                        FailProtocol(ProtocolViolationException.Violation($"connection closed in the middle of a frame ({buffer.Length} bytes pending)"));
                    }
                    else if (!IsClosing && !result.IsCanceled && Gate?.Invoke(ChatCommand.Logout) is { Bounded: true, Until.IsCompleted: false } gate)
                    {
                        // The peer is done sending, not necessarily done reading: a client that half-closes after its
                        // last message still waits for that message's echo, its acknowledgement, and resent it when the
                        // close came first (a spec audit, 2026-12-05). Its messages still being committed are answered
                        // before the close, as a Logout would have them (bounded by MaxGateWait). Not an unbounded
                        // wait: that is a login being decided, and a close during a login abandons it (PROTOCOL.md,
                        // "When the connection closes"), so the end of stream does not wait for its outcome.
                        await WaitAtGateAsync(gate).ConfigureAwait(false);
                    }

                    // StartClose, not SetReason: it also completes the queue, so the writer flushes what is queued and ends.
                    StartClose(new DisconnectReason(DisconnectKind.RemoteClosed, ErrorCode.None, "peer closed the connection"), null);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Close or dispose cancelled the read: a normal end.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Any failure of the stream ends this connection as lost: an SslStream can throw types that are not
            // IOException, and one that escaped here left the connection open forever. Handlers' failures are
            // caught in DispatchFrames and never get here.
            StartClose(new DisconnectReason(DisconnectKind.ConnectionLost, ErrorCode.None, Describe(ex)), null);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A stream failure as a disconnect reason: the socket's own words for the usual ones; anything else (OpenSSL's
    /// exception type, or a bug) also names its type, so the log line does not pass it off as an ordinary drop.
    /// </summary>
    private static string Describe(Exception ex) => ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException
        ? ex.InnerException?.Message ?? ex.Message
        : $"{ex.GetType().Name}: {ex.Message}";

    /// <summary>
    /// Tracks when the frame still incomplete after a read started. If this read completed a frame, the bytes left
    /// over start a new one, timed from now: from when the handlers of the frames before it returned, since only then
    /// does the connection wait for the rest. Otherwise the pending frame keeps its original start.
    /// </summary>
    private void NotePartialFrame(long pending, bool consumed)
    {
        if (pending == 0)
        {
            Volatile.Write(ref _partialFrameSinceTicks, 0);
        }
        else if (consumed)
        {
            Volatile.Write(ref _partialFrameSinceTicks, Environment.TickCount64);
        }
        else if (Volatile.Read(ref _partialFrameSinceTicks) == 0)
        {
            Volatile.Write(ref _partialFrameSinceTicks, LastReceivedTicks);
        }
    }

    /// <summary>
    /// Set by the owner (before <see cref="RunAsync"/>): consulted before each frame. Null: every frame is handled as
    /// soon as it is read.
    /// </summary>
    public DispatchGate? Gate { get; set; }

    // The frame at the start of the buffer already waited at the gate (or timed out there): it is handled now.
    private bool _passedGate;

    /// <summary>The longest a frame waits at a bounded gate (<see cref="GateWait.Bounded"/>); then it is handled anyway.</summary>
    public static readonly TimeSpan MaxGateWait = TimeSpan.FromSeconds(5);

    private async Task WaitAtGateAsync(GateWait gate)
    {
        try
        {
            // An unbounded wait ends with its task or with the close (the read is cancelled then, at the latest
            // once the linger ends): handled after a timeout, a frame held for a login would be handled in whatever
            // state the login had reached by then, which is the race the hold exists to end.
            await (gate.Bounded ? gate.Until.WaitAsync(MaxGateWait, _readCancel.Token) : gate.Until.WaitAsync(_readCancel.Token)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Handled anyway: a store this slow answers the earlier messages with errors soon.
        }

        _passedGate = true;
    }

    /// <returns>A gate the next frame waits for (the buffer then starts with that frame), or null when all were handled.</returns>
    private GateWait? DispatchFrames(ref ReadOnlySequence<byte> buffer, FrameHandler onFrame)
    {
        try
        {
            var before = buffer;
            while (!IsClosing && FrameCodec.TryReadFrame(ref buffer, _options.Limits.MaxFrameSize, out var payload))
            {
                // The frame is complete: the time its handler takes (a search reading history) is the server's, and
                // must not count against the peer's frame deadline. It once did, and a 4 KB search that ran for
                // minutes ended its session with "a frame was not completed within 30 s of its first byte".
                Volatile.Write(ref _partialFrameSinceTicks, 0);
                GateWait? gate = payload.IsSingleSegment ? Dispatch(payload.FirstSpan, onFrame) : DispatchCopied(payload, onFrame);
                if (gate is not null)
                {
                    buffer = before;
                    return gate;
                }

                before = buffer;
            }
        }
        catch (ProtocolViolationException ex)
        {
            FailProtocol(ex);
            buffer = buffer.Slice(buffer.End);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug in a handler ends this one session, never the process; the owner logs the reason.
            StartClose(new DisconnectReason(DisconnectKind.InternalError, ErrorCode.InternalError, ex.ToString()),
                FrameCodec.Serialize(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.InternalError, "internal error")));
            buffer = buffer.Slice(buffer.End);
        }

        return null;
    }

    /// <summary>Hands one frame to the handler, or returns the gate it must wait for first (it is then not handled).</summary>
    private GateWait? Dispatch(ReadOnlySpan<byte> payload, FrameHandler onFrame)
    {
        // The gate is asked before the frame is validated: a malformed frame waits like any other, so its violation
        // is judged after what it waits for (a login's answer), not before or after it depending on timing.
        if (!_passedGate && Gate?.Invoke(RawFrame.PeekCommand(payload)) is { Until.IsCompleted: false } gate)
        {
            return gate;
        }

        _passedGate = false;
        onFrame(this, RawFrame.Parse(payload));
        return null;
    }

    private GateWait? DispatchCopied(ReadOnlySequence<byte> payload, FrameHandler onFrame)
    {
        // The length was validated against MaxFrameSize before we got here, so this rent is bounded.
        var rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(rented);
            return Dispatch(rented.AsSpan(0, (int)payload.Length), onFrame);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Ends the session for a protocol violation: an Error frame with the code, then close.</summary>
    public void FailProtocol(ProtocolViolationException violation) => Close(
        new DisconnectReason(DisconnectKind.ProtocolViolation, violation.Code, violation.Message),
        new ErrorPacket(violation.Code, violation.Message));
}
