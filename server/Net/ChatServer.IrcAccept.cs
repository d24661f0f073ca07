using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using LanTalk.Core.Transport;
using LanTalk.Server.Irc;
using LanTalk.Server.Tls;

namespace LanTalk.Server.Net;

/// <summary>
/// The IRC listeners (IrcPort, IrcTlsPort). A socket there is admitted exactly as on the main port: the same
/// per-address count, pre-login budget and MaxClients, so a second port is not a second allowance.
/// </summary>
public sealed partial class ChatServer
{
    private readonly ConcurrentDictionary<long, IrcSession> _ircSessions = new();
    private readonly List<Socket> _ircListeners = [];
    private readonly List<Task> _ircAcceptLoops = [];
    private ServerCertificate? _certificate;

    /// <summary>The bound IRC plaintext endpoint, or null when IrcPort is off.</summary>
    public IPEndPoint? IrcEndPoint { get; private set; }

    /// <summary>The bound IRC-over-TLS endpoint, or null when IrcTlsPort is off.</summary>
    public IPEndPoint? IrcTlsEndPoint { get; private set; }

    /// <summary>Raised when an IRC session has ended and left every table. Tests wait on it.</summary>
    internal event Action<IrcSession>? IrcSessionEnded;

    /// <summary>Tests only: an IRC session's CHATHISTORY or JOIN waits until the session has read its earlier history answers.</summary>
    internal event Action<IrcSession>? IrcAnswerHeld;

    internal void OnIrcAnswerHeld(IrcSession session) => IrcAnswerHeld?.Invoke(session);

    private void StartIrc(ServerCertificate? certificate)
    {
        _certificate = certificate;
        if (Settings.IrcPort >= 0)
        {
            IrcEndPoint = BindIrc(Settings.IrcPort, "IrcPort", tls: false);
        }

        if (Settings.IrcTlsPort >= 0)
        {
            if (certificate is null)
            {
                throw new ArgumentException("IrcTlsPort needs the server's certificate, but TlsMode is Off; set <IrcTlsPort>-1</IrcTlsPort> or turn TLS on");
            }

            IrcTlsEndPoint = BindIrc(Settings.IrcTlsPort, "IrcTlsPort", tls: true);
        }
    }

    private IPEndPoint BindIrc(int port, string element, bool tls)
    {
        var listener = new Socket(Settings.ListenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (Settings.ListenAddress.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(Settings.ListenAddress, port));
            listener.Listen(Settings.ListenBacklog);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            throw new PortInUseException($"IRC port {port} is already in use on {Settings.ListenAddress}; choose another with <{element}> in Settings.xml", ex);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _ircListeners.Add(listener);
        _ircAcceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener, socket => RunIrcSessionAsync(socket, tls))));
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        s_log.Info("IRC gateway listening on {Endpoint}{Tls}", endpoint, tls ? " (TLS)" : string.Empty);
        return endpoint;
    }

    private async Task RunIrcSessionAsync(Socket socket, bool tls)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var address = GroupOf(remote.Address);
        int fromAddress = _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1);
        var countRefusal = ReservePending(address, fromAddress, out var slot);
        IrcSession? session = null;
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
            if (tls)
            {
                stream = await AuthenticateTlsAsync((NetworkStream)stream, refused: countRefusal is not null, slot, remote).ConfigureAwait(false);
            }

            var connection = new IrcConnection(stream, Settings.OutboundQueueFrames, Settings.OutboundQueueBytes);
            session = new IrcSession(this, connection, remote) { Pending = slot };
            var evictedSession = session;
            slot?.OnEvicted(() =>
            {
                s_log.Info("{Session} evicted from the pre-login budget: {Why}", evictedSession, EvictedWhy(slot));
                evictedSession.Quit(EvictedError(slot).Text);
            });
            _ircSessions[connection.Id] = session;
            _heapTrim.Note();
            if ((Admission() ?? countRefusal) is { } refusal)
            {
                s_log.Info("{Session} refused: {Reason}", session, refusal.Text);
                slot?.Release();
                session.Quit(refusal.Text);
            }

            string reason = await connection.RunAsync(session.OnLineAsync).ConfigureAwait(false);
            LeaveIrc(session);
            s_log.Info("{Session} disconnected: {Reason}", session, reason);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            s_log.Info("{Remote} (IRC) dropped before the protocol started: {Error}", remote, ex.Message);
            socket.Dispose();
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _internalErrors);
            s_log.Error(ex, "{Session} failed", (object?)session ?? remote);
            socket.Dispose();
        }
        finally
        {
            if (session is not null)
            {
                LeaveIrc(session);
                _ircSessions.TryRemove(session.Connection.Id, out _);
                _heapTrim.Note();
                session.Connection.Dispose();
            }

            slot?.Release();
            if (_perAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
            {
                _perAddress.TryRemove(new KeyValuePair<AddressGroup, int>(address, 0));
            }

            if (session is not null)
            {
                IrcSessionEnded?.Invoke(session);
            }
        }
    }

    private async Task<Stream> AuthenticateTlsAsync(NetworkStream stream, bool refused, PendingSlot? slot, IPEndPoint remote)
    {
        using var timeout = HandshakeLimit(refused);
        CancelHandshakeOnEviction(slot, timeout, remote);
        timeout.CancelAfter(refused ? ConnectionOptions.CloseLinger : TimeSpan.FromSeconds(Settings.LoginTimeoutSeconds));
        if (!await Tls.PlaintextProbe.OpensWithTlsAsync(stream, timeout.Token).ConfigureAwait(false))
        {
            // A client set up without TLS saw the link close with nothing to read, and reconnected for ever (an IRC
            // audit, 2026-12-05); IRC servers answer it with an ERROR line in plaintext.
            string plain = IrcEndPoint is { } endPoint ? $", or port {endPoint.Port} without TLS" : string.Empty;
            await Tls.PlaintextProbe.RefuseAsync(stream, System.Text.Encoding.ASCII.GetBytes(
                $"ERROR :Closing Link: this port takes TLS only; connect with TLS (SSL){plain}\r\n")).ConfigureAwait(false);
            throw new System.Security.Authentication.AuthenticationException("a plaintext client connected to the IRC TLS port; it was told to use TLS");
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate!.Certificate,
                ClientCertificateRequired = false,
            }, timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Part of the once-a-second sweep: registration within LoginTimeoutSeconds; after PingIntervalSeconds of
    /// silence a PING, and after IdleTimeoutSeconds the link is closed ("Ping timeout"), as IRC servers do; a client
    /// that takes no bytes for <see cref="SendStallLimitMs"/> is cut off as a slow consumer, as on the main port.
    /// </summary>
    private void SweepIrc(long now)
    {
        foreach (var session in _ircSessions.Values)
        {
            var connection = session.Connection;
            if (connection.IsClosing)
            {
                continue;
            }

            long silent = now - connection.LastReceivedTicks;
            if (session.State == IrcSessionState.Registering && now - session.ConnectedTicks > Settings.LoginTimeoutSeconds * 1000L)
            {
                s_log.Info("{Session} dropped: not registered within {Seconds} s", session, Settings.LoginTimeoutSeconds);
                session.Quit($"Registration timeout ({Settings.LoginTimeoutSeconds} s)");
            }
            else if (silent > Settings.IdleTimeoutSeconds * 1000L)
            {
                s_log.Info("{Session} dropped: silent for more than {Seconds} s", session, Settings.IdleTimeoutSeconds);
                session.Quit($"Ping timeout: {Settings.IdleTimeoutSeconds} seconds", toPeers: true);
            }
            else if (IsSendStalled(connection.WriteBlockedMs(now)))
            {
                // The ChatSocket rule (SweepTimeouts): this check was missing here, so an IRC client that sent a PING
                // now and then but never read was never cut off; its queue grew towards the byte bound at chat pace.
                LogSendStall(session);
                connection.Abort("slow consumer: " + SendStallText);
            }
            else if (silent > Settings.PingIntervalSeconds * 1000L && !session.PingOutstanding)
            {
                session.PingOutstanding = true;
                session.SendRaw(null, "PING", Settings.IrcServerName);
            }
            else if (silent < Settings.PingIntervalSeconds * 1000L)
            {
                session.PingOutstanding = false;
            }

            session.ReleaseOverduePongs(now);
        }
    }

    /// <summary>Closes the IRC listeners and sessions; returns how many sessions it closed, for the stop line.</summary>
    private int StopIrc()
    {
        foreach (var listener in _ircListeners)
        {
            listener.Dispose();
        }

        var sessions = _ircSessions.Values.ToArray();
        foreach (var session in sessions)
        {
            session.Quit("Server shutting down");
        }

        return sessions.Length;
    }
}
