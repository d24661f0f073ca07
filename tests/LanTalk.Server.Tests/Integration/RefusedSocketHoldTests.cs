using System.Net;
using System.Net.Sockets;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// On a TLS port a connection refused at accept (its address over MaxConnectionsPerAddress or its pre-login share)
/// can hear its refusal only after a TLS handshake, and the server waited LoginTimeoutSeconds for one. A host that
/// opened sockets and never started TLS made the server hold every one of them (300 from one address whose limit is
/// 16, one descriptor each, in a security audit on 2026-12-07), so one machine could use up the server's descriptors.
/// Now the handshake of a refused connection gets the close linger at most, and sockets beyond twice the
/// per-address limit are closed at once. Real sockets, both TLS ports.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RefusedSocketHoldTests
{
    private const int Opened = 10;

    // A login timeout far beyond the test's wait: before the fix every socket stayed open that long.
    private static ServerSettings Tight(ServerSettings s) =>
        s with { MaxConnectionsPerAddress = 2, MaxPendingLoginsPerAddress = 1, LoginTimeoutSeconds = 120, IrcTlsPort = 0 };

    [Test]
    public async Task Sockets_that_never_start_TLS_beyond_the_address_limit_are_closed_within_seconds_on_the_main_port()
    {
        await using var server = await TestServer.StartTlsAsync(null, Tight, "alice");

        int closed = await CountClosedWithinAsync(server.Port, TimeSpan.FromSeconds(6));

        closed.Should().Be(Opened - 1, "only the one connection admitted to log in may wait for its handshake");
    }

    [Test]
    public async Task Sockets_that_never_start_TLS_beyond_the_address_limit_are_closed_within_seconds_on_the_IRC_TLS_port()
    {
        await using var server = await TestServer.StartTlsAsync(null, Tight, "alice");

        int closed = await CountClosedWithinAsync(server.Server.IrcTlsEndPoint!.Port, TimeSpan.FromSeconds(6));

        closed.Should().Be(Opened - 1, "only the one connection admitted to log in may wait for its handshake");
    }

    /// <summary>Opens <see cref="Opened"/> sockets that send nothing; counts those the server closes before <paramref name="wait"/> ends.</summary>
    private static async Task<int> CountClosedWithinAsync(int port, TimeSpan wait)
    {
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < Opened; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            }

            using var deadline = new CancellationTokenSource(wait);
            var results = await Task.WhenAll(sockets.Select(s => ClosedByServerAsync(s, deadline.Token)));
            return results.Count(c => c);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<bool> ClosedByServerAsync(Socket socket, CancellationToken deadline)
    {
        var buffer = new byte[4096];
        try
        {
            // The server sends nothing before a handshake, so any read that ends is its close (FIN or reset).
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
