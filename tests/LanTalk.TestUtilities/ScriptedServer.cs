using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.TestUtilities;

/// <summary>
/// The server side of one loopback connection, played from a script: it accepts one client, sends the frames a test
/// gives it when the test says so, and reads (and drops) whatever the client sends until the client closes. For byte
/// orders a hostile or broken server can produce and lantalk-server never does, to test what a client makes of them.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource<NetworkStream> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private TcpClient? _peer;

    public ScriptedServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = RunAsync();
    }

    public int Port { get; }

    /// <summary>A ServerHello for versions 2-3 with the reference limits; <paramref name="pingSeconds"/> as given.</summary>
    public static byte[] Hello(int pingSeconds = 30, int idleSeconds = 45) => FrameCodec.Serialize(ChatCommand.Hello, string.Empty,
        new ServerHelloPacket(2, 3, "scripted", 65536, 32, 4096, pingSeconds, idleSeconds, 1_700_000_000_000, ServerFeatures.None));

    /// <summary>Sends the frames, in one write, once the client has connected.</summary>
    public async Task SendAsync(params byte[][] frames)
    {
        var stream = await _accepted.Task.WaitAsync(Wait.Timeout);
        await stream.WriteAsync(frames.SelectMany(f => f).ToArray());
    }

    /// <summary>Half-closes: the client reads end-of-stream after what was sent, as a server does after a closing Error.</summary>
    public async Task CloseSendingAsync()
    {
        await _accepted.Task.WaitAsync(Wait.Timeout);
        _peer!.Client.Shutdown(SocketShutdown.Send);
    }

    private async Task RunAsync()
    {
        try
        {
            _peer = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = _peer.GetStream();
            _accepted.TrySetResult(stream);
            var sink = new byte[4096];
            while (await stream.ReadAsync(sink, _stop.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
            // The client went, or the test is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _peer?.Dispose();
        _listener.Stop();
        _stop.Dispose();
    }
}
