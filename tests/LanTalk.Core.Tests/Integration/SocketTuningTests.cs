using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// Socket tuning is best effort: Wine answered one keep-alive option with WSAEOPNOTSUPP and every connection died.
/// A Unix-domain stream socket is a real socket that rejects the TCP-level options the same way (EOPNOTSUPP).
/// </summary>
[TestFixture]
public sealed class SocketTuningTests
{
    [Test]
    public void Options_the_socket_lacks_are_reported_once_and_do_not_throw()
    {
        var report = new TuningReport();
        var lines = new List<string>();
        report.Handler = lines.Add;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

        Assert.DoesNotThrow(() => SocketTuning.Apply(socket, report));
        Assert.DoesNotThrow(() => SocketTuning.Apply(socket, report));

        Assert.That(report.IsUnavailable(TuningOption.NoDelay), Is.True, "TCP_NODELAY on a Unix socket must fail and be reported");
        Assert.That(report.IsUnavailable(TuningOption.KeepAliveProbes), Is.True);
        Assert.That(lines, Has.Count.EqualTo(report.UnavailableCount), "one line per missing option, however many sockets");
        Assert.That(lines, Has.All.Contains("not available here"));
    }

    [Test]
    public void Options_set_after_a_missing_one_are_still_applied()
    {
        var report = new TuningReport();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

        SocketTuning.Apply(socket, report);
        SocketTuning.TrySetSendBuffer(socket, 64 * 1024, report);

        // SO_KEEPALIVE and SO_SNDBUF are socket-level, so a Unix socket takes them even though TCP_NODELAY failed first.
        Assert.That(report.IsUnavailable(TuningOption.KeepAlive), Is.False);
        Assert.That((int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!, Is.Not.Zero);
        Assert.That(report.IsUnavailable(TuningOption.SendBuffer), Is.False);
    }

    [Test]
    public async Task A_loopback_tcp_connection_takes_every_option()
    {
        var report = new TuningReport();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(listener.LocalEndPoint!, timeout.Token);

        SocketTuning.Apply(client, report);
        SocketTuning.TrySetSendBuffer(client, 64 * 1024, report);
        SocketTuning.TrySetReceiveBuffer(client, 64 * 1024, report);

        Assert.That(report.UnavailableCount, Is.Zero);
        Assert.That(client.NoDelay, Is.True);
        Assert.That((int)client.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!, Is.EqualTo(SocketTuning.KeepAliveProbes));
    }

    [Test]
    public void A_disposed_socket_is_not_mistaken_for_a_missing_option()
    {
        var report = new TuningReport();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Dispose();

        Assert.Throws<ObjectDisposedException>(() => SocketTuning.Apply(socket, report));
        Assert.That(report.UnavailableCount, Is.Zero);
    }
}
