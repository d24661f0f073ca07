using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Net;

public sealed partial class ChatServer
{
    // Keyed by AddressGroup: an IPv6 /64 off the server's links counts as one address.
    private readonly ConcurrentDictionary<AddressGroup, int> _perAddress = new();
    private readonly PendingLogins _pending = new();
    private readonly OnLinkNetworks _onLink = new();

    // Created in the constructor: it reads the settings and the budget above.
    private readonly PendingBudgetAlarm _pendingBudgetAlarm;
    private long _internalErrors;

    /// <summary>Connections holding a place in the pre-login budget now (tests wait on it).</summary>
    internal int PendingLoginCount => _pending.Count;

    /// <summary>Sessions that ended because of a bug on our side; the fuzzer requires zero.</summary>
    public long InternalErrorCount => Interlocked.Read(ref _internalErrors);

    /// <summary>
    /// Accepts on <paramref name="listener"/> until the server stops and hands each connection to
    /// <paramref name="runSession"/> on the pool. Shared by the ChatSocket port and the IRC ports, so both ride out
    /// an exhausted descriptor table the same way.
    /// </summary>
    private async Task AcceptLoopAsync(Socket listener, Func<Socket, Task> runSession)
    {
        var backoff = new AcceptBackoff();
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors or a reset during accept: pause (growing), log now and then, keep serving the others.
                var (delay, report) = backoff.OnFailure(ex.SocketErrorCode, ex.Message);
                LogAcceptFailure(report);
                if (delay > TimeSpan.Zero && !await PauseAcceptAsync(delay).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            if (backoff.OnSuccess() is { } recovered)
            {
                s_log.Warn("Accepting again after {Failures} failed accepts over {Seconds:0.0} s", recovered.Failures, recovered.Duration.TotalSeconds);
            }

            _ = Task.Run(() => runSession(socket));
        }
    }

    private static void LogAcceptFailure(AcceptFailureReport? report)
    {
        if (report is not { } r)
        {
            return;
        }

        if (r.First)
        {
            s_log.Warn("Accept failed: {Error} ({Hint}); next try in {Delay} ms (pauses grow to at most {MaxSeconds} s), further failures summarised every {Interval} s",
                r.Message, r.Hint, r.NextDelay.TotalMilliseconds, AcceptBackoff.MaxDelay.TotalSeconds, AcceptBackoff.ReportInterval.TotalSeconds);
        }
        else
        {
            s_log.Warn("Accept still failing: {Failures} more failures ({Error}), failing for {Seconds:0} s; next try in {Delay} ms",
                r.Failures, r.Message, r.Since.TotalSeconds, r.NextDelay.TotalMilliseconds);
        }
    }

    /// <summary>False when the server stops during the pause.</summary>
    private async Task<bool> PauseAcceptAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunSessionAsync(Socket socket)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var address = GroupOf(remote.Address);
        int fromAddress = _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1);
        // Counted at accept, before any TLS handshake, so a flood of sockets that never finish one is limited too.
        // A refused socket holds no slot while it hears its refusal and lingers, so refusals cannot fill the budget.
        var countRefusal = ReservePending(address, fromAddress, out var slot);
        Session? session = null;
        try
        {
            if (fromAddress > HeldSocketLimit)
            {
                // Past what one address may make the server hold, refusals included: closed without a word.
                socket.Dispose();
                return;
            }

            SocketTuning.Apply(socket);
            SocketTuning.TrySetSendBuffer(socket, SendBufferBytes);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (_wrapStream is { } wrap)
            {
                using var handshake = HandshakeLimit(refused: countRefusal is not null);
                CancelHandshakeOnEviction(slot, handshake, remote);
                stream = await wrap((NetworkStream)stream, handshake.Token).ConfigureAwait(false);
            }

            var connection = new ChatConnection(stream, ConnectionOptions, socket);
            session = new Session(this, connection, remote) { Pending = slot };
            var evictedSession = session;
            slot?.OnEvicted(() =>
            {
                s_log.Info("{Session} evicted from the pre-login budget: {Why}", evictedSession, EvictedWhy(slot));
                var error = EvictedError(slot);
                connection.Close(new DisconnectReason(DisconnectKind.Local, error.Code, error.Text), error);
            });
            // Leave the roster as soon as the close begins, not after the final flush and linger; from then on a
            // login still being verified for this connection is refused (Closed state). A connection that closes
            // before it logged in gives its pre-login place back at the same moment: during its 2 s linger it was
            // still counted as logging in, and refused its address's next connections (a spec audit, 2026-12-04).
            connection.Closing += (_, _) =>
            {
                slot?.Release();
                LeaveRoster(session);
            };
            _sessions[connection.Id] = session;
            _heapTrim.Note();
            if ((Admission() ?? countRefusal) is { } refusal)
            {
                s_log.Info("{Session} refused: {Reason}", session, refusal.Text);
                slot?.Release();
                connection.Close(new DisconnectReason(DisconnectKind.Local, refusal.Code, refusal.Text), refusal);
            }
            else
            {
                session.SendHello();
            }

            var reason = await connection.RunAsync(session.OnFrame).ConfigureAwait(false);
            OnSessionEnded(session, reason);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The peer vanished or failed the TLS handshake before the protocol began.
            s_log.Info("{Remote} dropped before the protocol started: {Error}", remote, ex.Message);
            socket.Dispose();
        }
        catch (Exception ex)
        {
            s_log.Error(ex, "{Session} failed", (object?)session ?? remote);
            socket.Dispose();
        }
        finally
        {
            if (session is not null)
            {
                _sessions.TryRemove(session.Connection.Id, out _);
                _heapTrim.Note();
            }

            // Released at login already when the session logged in; releasing twice is a no-op.
            slot?.Release();
            if (_perAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
            {
                _perAddress.TryRemove(new KeyValuePair<AddressGroup, int>(address, 0));
            }

            if (session is not null)
            {
                SessionEnded?.Invoke(session);
            }
        }
    }

    /// <summary>
    /// Sockets one address may make the server hold at once, refused ones still hearing their refusal included:
    /// twice MaxConnectionsPerAddress. Beyond it a socket is closed at accept, so a host that opens sockets faster
    /// than refusals end cannot use up the server's descriptors.
    /// </summary>
    private int HeldSocketLimit => 2 * Settings.MaxConnectionsPerAddress;

    /// <summary>
    /// The token a TLS handshake runs under. A refused connection can hear its refusal only after a handshake,
    /// which a real client finishes in milliseconds, so it gets the close linger a refusal gets anyway instead of
    /// LoginTimeoutSeconds: sockets that never start TLS were each held for the whole login timeout.
    /// </summary>
    private CancellationTokenSource HandshakeLimit(bool refused)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        if (refused)
        {
            limit.CancelAfter(ConnectionOptions.CloseLinger);
        }

        return limit;
    }

    /// <summary>
    /// A connection evicted while its TLS handshake runs (one that never finishes it is the usual case) had its
    /// socket held until LoginTimeoutSeconds anyway, with no session to close it; it is cut off at once instead. Once
    /// the session exists, its own close replaces this one (<see cref="PendingSlot.OnEvicted"/>).
    /// </summary>
    private static void CancelHandshakeOnEviction(PendingSlot? slot, CancellationTokenSource handshake, IPEndPoint remote)
    {
        slot?.OnEvicted(() =>
        {
            s_log.Info("{Remote} evicted from the pre-login budget during its TLS handshake: {Why}", remote, EvictedWhy(slot));
            try
            {
                handshake.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The handshake has just ended: the session's OnEvicted, next, sees the eviction and closes it.
            }
        });
    }

    /// <summary>Null to admit; otherwise the error the newcomer gets before the connection closes.</summary>
    private ErrorPacket? Admission()
    {
        if (_stopping.IsCancellationRequested)
        {
            return new ErrorPacket(ErrorCode.ShuttingDown, "the server is shutting down");
        }

        if (OnlineCount >= Settings.MaxClients)
        {
            return new ErrorPacket(ErrorCode.ServerFull, $"the server is full ({SessionsText.Count(Settings.MaxClients)} online); try again later");
        }

        return null;
    }

    /// <summary>
    /// The connection-count part of admission, decided at accept: per-address connections, then this address's
    /// share of the pre-login budget, then the budget itself. Admitted sockets get a slot; refused ones get the error.
    /// </summary>
    private ErrorPacket? ReservePending(AddressGroup address, int connectionsFromAddress, out PendingSlot? slot)
    {
        slot = null;
        if (connectionsFromAddress > Settings.MaxConnectionsPerAddress)
        {
            return new ErrorPacket(ErrorCode.TooManyConnections, $"too many connections from your address (limit {Settings.MaxConnectionsPerAddress})");
        }

        var refusal = _pending.TryReserve(address, Settings.MaxPendingLoginsPerAddress, Settings.MaxPendingLogins, out slot, out var evicted);
        evicted?.Evict();
        switch (refusal)
        {
            case PendingRefusal.PerAddress:
                return new ErrorPacket(ErrorCode.TooManyConnections, $"too many connections from your address are logging in at once (limit {Settings.MaxPendingLoginsPerAddress}); try again in a moment");
            case PendingRefusal.Budget:
                if (_pendingBudgetAlarm.Refused() is { } report)
                {
                    s_log.Warn(report);
                }

                return new ErrorPacket(ErrorCode.TooManyConnections, "too many connections are logging in at once; try again in a moment");
            default:
                return null;
        }
    }

    /// <summary>
    /// What per-address limits and the failed-login throttle count <paramref name="address"/> as: itself, or its /64
    /// (<see cref="AddressGroup"/>).
    /// </summary>
    internal AddressGroup GroupOf(IPAddress address) => AddressGroup.Of(address, _onLink.Current);

    /// <summary>
    /// The error an evicted connection (<see cref="PendingLogins"/>) gets before it closes: for its address's excess,
    /// or, with the budget spread over many addresses, for having waited longest without logging in.
    /// </summary>
    private static ErrorPacket EvictedError(PendingSlot slot) => slot.EvictedForAge
        ? new(ErrorCode.TooManyConnections, $"too many connections are logging in at once: this one waited longest without logging in (over {PendingLogins.EvictionGrace.TotalSeconds:0} s) and gave its place to a new one; try again in a moment")
        : new(ErrorCode.TooManyConnections, "too many connections from your address are logging in while the server is busy: this one gave its place to another address's; try again in a moment");

    private static string EvictedWhy(PendingSlot slot) => slot.EvictedForAge
        ? "the budget was full and it had waited longest without logging in"
        : "its address holds the most places and another needed one";

    private void OnSessionEnded(Session session, DisconnectReason reason)
    {
        // Closing already did this; repeating it is harmless and keeps the roster right if an event was missed.
        LeaveRoster(session);

        switch (reason.Kind)
        {
            case DisconnectKind.ProtocolViolation:
                s_log.Warn("{Session} protocol violation ({Code}): {Reason}", session, reason.Code, reason.Message);
                break;
            case DisconnectKind.SlowConsumer:
                s_log.Warn("{Session} disconnected as a slow consumer: {Reason}", session, reason.Message);
                break;
            case DisconnectKind.InternalError:
                Interlocked.Increment(ref _internalErrors);
                s_log.Error("{Session} internal error: {Reason}", session, reason.Message);
                break;
            default:
                s_log.Info("{Session} disconnected: {Reason}", session, reason);
                break;
        }
    }
}
