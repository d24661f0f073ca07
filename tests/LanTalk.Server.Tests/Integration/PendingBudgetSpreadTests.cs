using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LanTalk.Core.Protocol;
using LanTalk.Server.Net;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// The pre-login budget held by as many addresses as it has places, one idle connection each (a plaintext socket that
/// never sends Hello, a TLS one that never starts its handshake, an IRC one that never registers), refused every login
/// from anywhere with TooManyConnections for as long as they were reopened (a security audit, 2026-12-07): the
/// fairness rule needs an address holding two more than the newcomer's. Now a newcomer takes the place of the
/// connection that has waited longest once it has waited <see cref="PendingLogins.EvictionGrace"/>, on both ports,
/// and not before. Real sockets from 127.0.0.10 … 127.0.0.73 (Linux routes all of 127.0.0.0/8 to loopback).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PendingBudgetSpreadTests
{
    private const int Budget = 64;

    // The idle connections must outlive the test: only eviction may end them.
    private static ServerSettings Spread(ServerSettings s) => s with { MaxPendingLogins = Budget, LoginTimeoutSeconds = 120, IdleTimeoutSeconds = 120 };

    private static IPAddress Idler(int i) => IPAddress.Parse($"127.0.0.{10 + i}");

    private static Action<Socket> From(IPAddress address) => socket => socket.Bind(new IPEndPoint(address, 0));

    [Test]
    public async Task A_login_gets_in_once_idle_connections_from_as_many_addresses_as_the_budget_has_places_waited_the_grace()
    {
        await using var server = await TestServer.StartAsync(Spread, "alice");
        var idle = new List<RawClient>();
        try
        {
            var sinceFirst = await OpenGreetedAsync(server, idle);

            await WaitOutGraceAsync(sinceFirst);
            await using var alice = await Wait.ForAsync(server.LoginAsync("alice"), "alice's login while the budget is held");

            var error = await idle[0].ExpectErrorThenCloseAsync(ErrorCode.TooManyConnections);
            error.Text.Should().Contain("waited longest", "the connection that waited longest gave its place, and is told why");
            server.Server.PendingLoginCount.Should().Be(Budget - 1, "alice took the evicted place and gave it back at login");
        }
        finally
        {
            await DisposeAllAsync(idle);
        }
    }

    [Test]
    public async Task Connections_younger_than_the_grace_keep_their_places_and_the_newcomer_is_refused()
    {
        await using var server = await TestServer.StartAsync(Spread, "alice");
        var idle = new List<RawClient>();
        try
        {
            var sinceFirst = await OpenGreetedAsync(server, idle);

            await using var newcomer = await server.ConnectRawAsync(From(IPAddress.Parse("127.0.0.200")));
            var refusal = await newcomer.ExpectErrorThenCloseAsync(ErrorCode.TooManyConnections);
            if (sinceFirst.Elapsed >= PendingLogins.EvictionGrace)
            {
                Assert.Inconclusive($"opening {Budget} connections took {sinceFirst.Elapsed.TotalSeconds:0.0} s, longer than the grace");
            }

            refusal.Text.Should().Contain("too many connections are logging in at once");
            server.Server.PendingLoginCount.Should().Be(Budget, "no connection younger than the grace was taken");
            Func<Task> readOldest = () => idle[0].ReadFrameAsync(TimeSpan.FromMilliseconds(200));
            await readOldest.Should().ThrowAsync<TimeoutException>("the oldest idle connection heard nothing: it still waits");
        }
        finally
        {
            await DisposeAllAsync(idle);
        }
    }

    [Test]
    public async Task A_TLS_login_gets_in_past_idle_sockets_that_never_start_their_handshake_and_the_evicted_one_is_closed_at_once()
    {
        await using var server = await TestServer.StartTlsAsync(null, Spread, "alice");
        var idle = new List<RawClient>();
        try
        {
            var sinceFirst = Stopwatch.StartNew();
            for (int i = 0; i < Budget; i++)
            {
                idle.Add(await server.ConnectRawAsync(From(Idler(i))));
                // One at a time, so the server takes them in the order opened and the first is the oldest.
                await WaitForPendingAsync(server, i + 1);
            }

            await WaitOutGraceAsync(sinceFirst);

            await using var alice = await Wait.ForAsync(server.LoginAsync("alice", server.ClientOptions), "alice's TLS login while the budget is held");
            server.Server.PendingLoginCount.Should().Be(Budget - 1);
            // Not held until its handshake times out (LoginTimeoutSeconds, 120 s here): it has no place to wait for.
            await idle[0].ExpectClosedAsync();
        }
        finally
        {
            await DisposeAllAsync(idle);
        }
    }

    [Test]
    public async Task The_IRC_port_shares_the_budget_and_its_longest_waiting_connection_gets_an_ERROR_line()
    {
        await using var server = await TestServer.StartIrcAsync(Spread, "alice");
        var idle = new List<TcpClient>();
        try
        {
            var sinceFirst = Stopwatch.StartNew();
            for (int i = 0; i < Budget; i++)
            {
                var tcp = new TcpClient(new IPEndPoint(Idler(i), 0));
                idle.Add(tcp);
                await tcp.ConnectAsync(IPAddress.Loopback, server.IrcPort).WaitAsync(Wait.Timeout);
                // One at a time, so the server takes them in the order opened and the first is the oldest.
                await WaitForPendingAsync(server, i + 1);
            }

            await WaitOutGraceAsync(sinceFirst);

            await using var alice = await Wait.ForAsync(server.LoginAsync("alice"), "alice's ChatSocket login while IRC connections hold the budget");

            string line = await ReadLineAsync(idle[0]);
            line.Should().StartWith("ERROR :Closing Link").And.Contain("waited longest");
        }
        finally
        {
            foreach (var tcp in idle)
            {
                tcp.Dispose();
            }
        }
    }

    /// <summary>
    /// One idle connection from each of <see cref="Budget"/> addresses, each greeted (so taken in, in the order
    /// opened) before the next; returns the time since the first was opened.
    /// </summary>
    private static async Task<Stopwatch> OpenGreetedAsync(TestServer server, List<RawClient> idle)
    {
        var sinceFirst = Stopwatch.StartNew();
        for (int i = 0; i < Budget; i++)
        {
            var client = await server.ConnectRawAsync(From(Idler(i)));
            idle.Add(client);
            (await client.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello, $"idle connection {i + 1} is admitted");
        }

        return sinceFirst;
    }

    /// <summary>The one wait on time: the behaviour under test is that a place is taken only after the grace.</summary>
    private static async Task WaitOutGraceAsync(Stopwatch sinceFirst)
    {
        var left = PendingLogins.EvictionGrace + TimeSpan.FromMilliseconds(100) - sinceFirst.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    /// <summary>Sockets that send nothing first are taken in by the server's accept threads a moment after connecting.</summary>
    private static async Task WaitForPendingAsync(TestServer server, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (server.Server.PendingLoginCount < count)
        {
            if (deadline.Elapsed > Wait.Timeout)
            {
                Assert.Fail($"the server took in {server.Server.PendingLoginCount} of {count} idle connections within {Wait.Timeout.TotalSeconds} s");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>The first line the server sent (empty when it closed without one), within <see cref="Wait.Timeout"/>.</summary>
    private static async Task<string> ReadLineAsync(TcpClient tcp)
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        var bytes = new List<byte>();
        var buffer = new byte[1];
        var stream = tcp.GetStream();
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) == 1 && buffer[0] != (byte)'\n')
            {
                bytes.Add(buffer[0]);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no line from the evicted IRC connection within {Wait.Timeout.TotalSeconds} s");
        }

        return Encoding.UTF8.GetString([.. bytes]).TrimEnd('\r');
    }

    private static async Task DisposeAllAsync(List<RawClient> clients)
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
