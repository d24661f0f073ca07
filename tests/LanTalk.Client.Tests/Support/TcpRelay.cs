using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LanTalk.Client.Tests.Support;

/// <summary>
/// A TCP forwarder between client and server on loopback. <see cref="DropAll"/> cuts every relayed connection at
/// once, as a failing network would, while the server keeps running: that is how reconnect tests lose the link.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private volatile int _target;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly ConcurrentDictionary<Socket, byte> _frozen = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public TcpRelay(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The port new connections are relayed to: another server answering at the same address.</summary>
    public int Target
    {
        get => _target;
        set => _target = value;
    }

    public string Address => $"127.0.0.1:{Port}";

    public int Accepted { get; private set; }

    /// <summary>
    /// Silently swallows all traffic of the current connections while keeping them open: a server that hangs or a
    /// cable pulled somewhere on the path. New connections relay normally.
    /// </summary>
    public void FreezeAll()
    {
        foreach (var socket in _sockets.Keys)
        {
            _frozen[socket] = 0;
        }
    }

    // Completed while the server's bytes go through; StallReplies replaces it, ResumeReplies completes it.
    private volatile TaskCompletionSource _replies = Completed();

    /// <summary>
    /// Holds everything the server sends until <see cref="ResumeReplies"/>, then delivers it: a server that stalls (a
    /// paused machine, a hung disk) while the connection stays up.
    /// </summary>
    public void StallReplies() => _replies = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResumeReplies() => _replies.TrySetResult();

    // Completed while new connections go through; HoldNew replaces it, ReleaseNew completes it.
    private volatile TaskCompletionSource _newConnections = Completed();

    /// <summary>New connections are accepted but not passed on until <see cref="ReleaseNew"/>: a network that is still down.</summary>
    public void HoldNew() => _newConnections = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseNew() => _newConnections.TrySetResult();

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    public void DropAll()
    {
        foreach (var socket in _sockets.Keys)
        {
            socket.Close(0);
            _sockets.TryRemove(socket, out _);
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                Accepted++;
                await _newConnections.Task.WaitAsync(_stop.Token);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                _sockets[client] = 0;
                _sockets[server] = 0;
                _ = PumpAsync(client, server, _frozen, () => Task.CompletedTask);
                _ = PumpAsync(server, client, _frozen, () => _replies.Task);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, ConcurrentDictionary<Socket, byte> frozen, Func<Task> open)
    {
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await open();
                if (!frozen.ContainsKey(from))
                {
                    await to.SendAsync(buffer.AsMemory(0, read));
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            from.Close(0);
            to.Close(0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accept;
        _stop.Dispose();
    }
}
