using LanTalk.Client.App;
using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Integration;

/// <summary>What happens when the connection ends: reconnect after a drop, never after a kick, give up after N tries.</summary>
public sealed class ReconnectTests
{
    // Fast retries so the tests take milliseconds; the real policy waits 1, 2, 4 ... 60 s, for ever.
    private static readonly ReconnectPolicy Fast = new() { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(100), MaxTries = 3 };

    private static async Task<(ChatSession Session, RecordingListener Events)> Login(string address, string user, string fingerprint, ReconnectPolicy? policy = null)
    {
        ServerAddress.TryParse(address, 0, out var server, out _).Should().BeTrue();
        var events = new RecordingListener();
        var session = new ChatSession(new ServerConnector(new ConnectOptions { Server = server, ConnectTimeout = TimeSpan.FromSeconds(5), TrustedFingerprint = fingerprint }), user, TestServer.Password, policy ?? Fast, events);
        await session.StartAsync(CancellationToken.None).WaitAsync(RecordingListener.Timeout);
        return (session, events);
    }

    [Test]
    public async Task A_dropped_connection_is_reported_and_the_session_logs_in_again()
    {
        await using var server = await TestServer.StartTlsAsync("alice", "bob");
        await using var relay = new TcpRelay(server.Port);
        var (alice, events) = await Login(relay.Address, "alice", server.Fingerprint);
        await using var _ = alice;
        var (bob, bobEvents) = await Login(server.Address, "bob", server.Fingerprint);
        await using var __ = bob;

        relay.DropAll();

        await events.WaitFor(() => events.Reconnects == 1, "the reconnect");
        events.Statuses.Should().Contain(s => s.StartsWith("Warning:", StringComparison.Ordinal) && s.Contains(relay.Address, StringComparison.Ordinal));
        events.Statuses.Should().Contain(s => s.Contains("reconnecting to", StringComparison.Ordinal) && s.Contains("(try 1 of 3;", StringComparison.Ordinal));
        alice.IsConnected.Should().BeTrue();
        relay.Accepted.Should().Be(2);

        await alice.SendAsync(null, "back again", CancellationToken.None);
        await bobEvents.WaitFor(() => bobEvents.Messages.Any(m => m.Text == "back again"), "bob to hear alice after the reconnect");
        alice.Ended.IsCompleted.Should().BeFalse();
    }

    [Test]
    public async Task A_silent_server_is_noticed_by_keep_alive_reported_and_reconnected()
    {
        // The server announces a 1 s ping interval, so the client gives up on silence after 1.5 s.
        await using var server = await TestServer.StartTlsAsync(pingIntervalSeconds: 1, "alice");
        await using var relay = new TcpRelay(server.Port);
        var (alice, events) = await Login(relay.Address, "alice", server.Fingerprint);
        await using var _ = alice;

        relay.FreezeAll();

        await events.WaitFor(() => events.Reconnects == 1, "the reconnect after the silence");
        events.Statuses.Should().Contain(s => s.StartsWith("Warning: lost contact with", StringComparison.Ordinal) && s.Contains("silent", StringComparison.Ordinal));
        alice.IsConnected.Should().BeTrue();
        (await alice.SendAsync(null, "still here", CancellationToken.None)).Text.Should().Be("still here");
    }

    [Test]
    public async Task A_kick_ends_the_session_without_reconnecting()
    {
        await using var server = await TestServer.StartTlsAsync("alice");
        var (alice, events) = await Login(server.Address, "alice", server.Fingerprint);
        await using var _ = alice;

        server.Server.Kick("alice", "spamming").Should().BeTrue();

        var report = await alice.Ended.WaitAsync(RecordingListener.Timeout);
        report!.ExitCode.Should().Be(ExitCode.Kicked);
        report.Message.Should().Contain("kicked").And.Contain("spamming");
        report.Retryable.Should().BeFalse();
        events.Statuses.Should().NotContain(s => s.Contains("reconnecting", StringComparison.Ordinal));
    }

    [Test]
    public async Task Server_shutdown_is_reported_then_retries_stop_after_the_limit()
    {
        var server = await TestServer.StartTlsAsync("alice");
        var (alice, events) = await Login(server.Address, "alice", server.Fingerprint);
        await using var _ = alice;

        await server.DisposeAsync();

        var report = await alice.Ended.WaitAsync(RecordingListener.Timeout);
        events.Statuses.Should().Contain(s => s.Contains("shut down", StringComparison.Ordinal));
        events.Statuses.Count(s => s.Contains("reconnecting to", StringComparison.Ordinal)).Should().Be(3);
        // One line per try: each failure is told with the next try (or with the giving up), never on a line of its own.
        events.Statuses.Where(s => s.Contains("reconnecting to", StringComparison.Ordinal)).Skip(1)
            .Should().OnlyContain(s => s.Contains(" failed: ", StringComparison.Ordinal), "the try before failed");
        events.Statuses.Should().NotContain(s => s.Contains(" failed: ", StringComparison.Ordinal) && !s.Contains("reconnecting to", StringComparison.Ordinal) && !s.Contains("gave up", StringComparison.Ordinal));
        report!.Message.Should().Contain("gave up after 3 tries");
        report.ExitCode.Should().Be(ExitCode.Unreachable);
    }

    [Test]
    public async Task Tries_that_fail_alike_are_told_at_tries_2_4_8_and_the_last_not_each()
    {
        // One line per try filled every window while a server restarted (a UX audit, 2026-12-06); the prompt counts down.
        var server = await TestServer.StartTlsAsync("alice");
        var (alice, events) = await Login(server.Address, "alice", server.Fingerprint, Fast with { MaxTries = 10 });
        await using var _ = alice;

        await server.DisposeAsync();

        await alice.Ended.WaitAsync(RecordingListener.Timeout);
        var told = events.Statuses.Where(s => s.Contains("reconnecting to", StringComparison.Ordinal)).ToList();
        told.Should().HaveCount(5, "try 1, then the failures before tries 2, 4, 8 and 10 (the last)");
        told.Skip(1).Select(s => s[s.IndexOf("try ", StringComparison.Ordinal)..s.IndexOf(" failed", StringComparison.Ordinal)])
            .Should().Equal("try 1", "try 3", "try 7", "try 9");
    }

    [Test]
    public async Task Something_else_answering_on_the_port_during_a_reconnect_is_one_more_failed_try()
    {
        // Every client quit ("does not speak the LanTalk protocol") and lost what was typed meanwhile, though the
        // server came back seconds later (a regression audit, 2026-12-06).
        await using var server = await TestServer.StartTlsAsync(null, settings => settings, "alice");
        var (alice, events) = await Login(server.Address, "alice", server.Fingerprint, Fast with { MaxTries = 200 });
        await using var _ = alice;
        await server.StopAsync();

        var impostor = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, server.Port);
        impostor.Start();
        try
        {
            using (var answered = await impostor.AcceptTcpClientAsync().WaitAsync(RecordingListener.Timeout))
            {
                await answered.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"u8.ToArray());
            }

            await events.WaitFor(() => events.Statuses.Any(s => s.Contains("failed: ", StringComparison.Ordinal) && !s.Contains("refused", StringComparison.Ordinal)), "the impostor's answer as a failed try");
        }
        finally
        {
            impostor.Stop();
        }

        alice.Ended.IsCompleted.Should().BeFalse("it keeps trying");
        await server.RestartAsync();
        await events.WaitFor(() => events.Reconnects == 1, "the reconnect once the real server is back");
    }
}
