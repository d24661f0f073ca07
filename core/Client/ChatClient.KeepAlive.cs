using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Client;

public sealed partial class ChatClient
{
    private const int MaxPingIntervalSeconds = 3600;

    // PROTOCOL.md, Keep-alive: after a burst of 32, at most 1 Ping a second, or the server ends the session (RateLimited,
    // "ping flood"). Pinging after half an interval without a word, the client sent two a second at an interval of 1 s
    // and was cut off after 35 s (an API audit, 2026-12-06). So pings go at least this far apart, and an interval
    // below it (the option, or a server announcing less) is taken as this.
    private const long MinPingGapMs = 1000;

    private Timer? _keepAlive;
    private long _pingIntervalMs;
    private long _tickPeriodMs;
    private ulong _pingNonce;
    private long _lastPingTicks;

    // When the previous tick ran (Environment.TickCount64); 0 before the first. Only the timer's callbacks use it.
    private long _lastTickTicks;

    // When the read loop started handling the frame it is on now (0: none), and when it last finished one. A handler
    // that ran 12 s held the reader, and the pongs that came meanwhile waited unread: the client closed a healthy
    // connection saying "the server has been silent for 8.7 s" (an API audit, 2026-12-06).
    private long _handlingSinceTicks;
    private long _handledTicks;

    private void StartKeepAlive(ServerHelloPacket hello)
    {
        // Any int32 may arrive: a timer cannot wait 17 million seconds (it threw, and the client ended with an internal
        // error; a hostile-server audit). An hour is far above what a server sets (Settings allow 3,600) and pinging
        // more often than asked is harmless.
        var interval = _options.PingInterval ?? TimeSpan.FromSeconds(Math.Clamp(hello.PingIntervalSeconds, 1, MaxPingIntervalSeconds));
        _pingIntervalMs = Math.Max(MinPingGapMs, (long)interval.TotalMilliseconds);
        // Check four times per interval, so a ping goes out at most a quarter interval late.
        _tickPeriodMs = Math.Max(50, _pingIntervalMs / 4);
        var period = TimeSpan.FromMilliseconds(_tickPeriodMs);
        // Exchanged (a full fence): a DisposeAsync that runs now sees this timer, or ConnectAsync sees it disposed.
        Interlocked.Exchange(ref _keepAlive, new Timer(static state => ((ChatClient)state!).KeepAliveTick(), this, period, period))?.Dispose();
    }

    private void StopKeepAlive() => Interlocked.Exchange(ref _keepAlive, null)?.Dispose();

    private void KeepAliveTick() => KeepAliveTick(Environment.TickCount64);

    /// <summary>One keep-alive check at <paramref name="now"/> (Environment.TickCount64); tests pass a time of their own.</summary>
    internal void KeepAliveTick(long now)
    {
        if (_connection is not { IsClosing: false } connection)
        {
            return;
        }

        long previous = Interlocked.Exchange(ref _lastTickTicks, now);
        // A tick far behind its period means this process did not run (Ctrl+Z, a laptop's suspend, a stalled VM):
        // what the server sent meanwhile, its pongs or the Error that closed the session, waits unread in the socket,
        // so the silence is ours. Judged at once, a paused client blamed the server ("silent for 12.4 s") instead of
        // showing the server's reason, or closed a connection the server had kept (a network audit, 2026-12-06).
        // The reader gets one tick to catch up first.
        bool wePaused = previous != 0 && now - previous > 2 * _tickPeriodMs + 1000;
        // Nor is the silence the server's while the reader is busy in a frame's handling (the caller's handlers): it
        // counts from when the reader was last free to read.
        bool reading = Volatile.Read(ref _handlingSinceTicks) == 0;
        long heard = Math.Max(connection.LastReceivedTicks, Volatile.Read(ref _handledTicks));
        // The server answers every ping, so 1.5 intervals of silence means the server or the path is dead; at a short
        // interval, pings a second apart leave the pong less than that, so it gets the interval past the gap.
        if (!wePaused && reading && now - heard > Math.Max(_pingIntervalMs * 3 / 2, _pingIntervalMs + MinPingGapMs))
        {
            connection.Abort(new DisconnectReason(DisconnectKind.Timeout, ErrorCode.IdleTimeout,
                $"the server has been silent for {(now - heard) / 1000.0:0.#} s; the connection is dead"));
            return;
        }

        // The server drops clients that are silent for 1.5 intervals, so speak up after one. And after half an
        // interval of hearing nothing, ask: the pong then has most of an interval to arrive before we give up.
        if ((now - connection.LastSentTicks >= _pingIntervalMs || now - connection.LastReceivedTicks >= _pingIntervalMs / 2)
            && (_lastPingTicks == 0 || now - _lastPingTicks >= MinPingGapMs))
        {
            _lastPingTicks = now;
            connection.SendPriority(ChatCommand.Ping, new PingPacket(++_pingNonce));
        }
    }
}
