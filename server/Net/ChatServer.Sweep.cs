using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

public sealed partial class ChatServer
{
    // Whether the server was just stopped or paused; the sweep asks it before judging any timeout.
    private readonly SweepPause _sweepPause = new();

    /// <summary>The time the server did not run, for the sessions' token buckets: it is not held against a client's rate.</summary>
    internal SweepPause Pauses => _sweepPause;

    // Returns a connection storm's leftovers to the machine once it is over; run from the sweep.
    private readonly HeapTrim _heapTrim = new();

    /// <summary>
    /// A write blocked this long means the peer stopped reading. With the send buffer capped (see
    /// <see cref="SendBufferBytes"/>) a stalled client is cut off within about 7 s of its last read.
    /// </summary>
    internal const long SendStallLimitMs = 5_000;

    /// <summary>Why a stalled connection was cut off; the same words for a ChatSocket and an IRC connection.</summary>
    internal static readonly string SendStallText = $"no bytes accepted for {SendStallLimitMs / 1000} s";

    /// <summary>
    /// Caps the kernel send buffer per client. Left alone, Linux autotunes it to megabytes on loopback: a minute
    /// of chat that a stalled client would hold before anyone noticed. The kernel doubles the value, so 64 KiB
    /// gives 128 KiB, still room for several coalesced 64 KiB writes.
    /// </summary>
    internal const int SendBufferBytes = 64 * 1024;

    /// <summary>
    /// One timer for all sessions, once a second: drops sockets that did not log in within the login timeout,
    /// clients silent past the idle timeout, and clients that leave a frame unfinished past the frame deadline.
    /// One sweep costs O(connections) but no per-connection timers.
    /// </summary>
    private void SweepTimeouts()
    {
        long now = Environment.TickCount64;
        if (!_sweepPause.MayJudge(now, out long gapMs))
        {
            if (gapMs > 0)
            {
                s_log.Warn("The server did not run for {Seconds:0.0} s (stopped, or its machine paused); no session is timed out for the next {Grace} s, and what clients sent meanwhile is not held against their rate", gapMs / 1000.0, SweepPause.GraceMs / 1000);
            }

            return;
        }

        long loginLimit = Settings.LoginTimeoutSeconds * 1000L;
        long idleLimit = Settings.IdleTimeoutSeconds * 1000L;
        long frameLimit = Settings.FrameDeadlineSeconds * 1000L;
        foreach (var session in _sessions.Values)
        {
            var connection = session.Connection;
            if (connection.IsClosing)
            {
                continue;
            }

            if (!session.WasAuthenticated && now - session.ConnectedTicks > loginLimit)
            {
                Drop(session, ErrorCode.LoginTimeout, $"no login within {Settings.LoginTimeoutSeconds} s");
            }
            else if (now - connection.LastReceivedTicks > idleLimit)
            {
                Drop(session, ErrorCode.IdleTimeout, $"silent for more than {Settings.IdleTimeoutSeconds} s");
            }
            else if (connection.PartialFrameSinceTicks is var started and > 0 && now - started > frameLimit)
            {
                Drop(session, ErrorCode.IdleTimeout, $"a frame was not completed within {Settings.FrameDeadlineSeconds} s of its first byte");
            }
            else if (IsSendStalled(connection.WriteBlockedMs(now)))
            {
                // Abort: a final frame could not get through a full buffer anyway. Not logged here: the end of the
                // session logs the slow consumer once (it was logged twice, a spec audit, 2026-12-04).
                connection.Abort(new DisconnectReason(DisconnectKind.SlowConsumer, ErrorCode.SlowConsumer, SendStallText));
            }
        }

        SweepIrc(now);
        _heapTrim.TryTrim(now, WriteCoalescer.Shared.FramesSoFar);
    }

    /// <summary>
    /// The send-stall rule, one for every kind of connection (the IRC sweep applies it too): its queue may never
    /// overflow if the client is slow but not dead, and what it sends (a PING a second) says nothing about whether
    /// it reads. A socket that takes no bytes for <see cref="SendStallLimitMs"/> is not reading.
    /// </summary>
    private static bool IsSendStalled(long writeBlockedMs) => writeBlockedMs > SendStallLimitMs;

    private static void LogSendStall(object session) =>
        s_log.Warn("{Session} disconnected as a slow consumer: {Reason}", session, SendStallText);

    private static void Drop(Session session, ErrorCode code, string text)
    {
        s_log.Info("{Session} dropped: {Reason}", session, text);
        session.Connection.Close(new DisconnectReason(DisconnectKind.Timeout, code, text), new ErrorPacket(code, text));
    }
}
