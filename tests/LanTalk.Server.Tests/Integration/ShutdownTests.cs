using System.Diagnostics;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Tests.Integration;

/// <summary>StopAsync: every client is told why, and the server is gone within 2 s.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ShutdownTests
{
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(2);

    [Test]
    public async Task StopAsync_tells_every_client_ShuttingDown_and_finishes_within_2_s()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var clients = new[] { await server.LoginAsync("alice"), await server.LoginAsync("bob"), await server.LoginAsync("carol") };
        // Connected but not logged in: told too.
        var anonymous = await server.ConnectAsync();
        var all = clients.Append(anonymous).ToArray();
        var reasons = all.Select(c =>
        {
            var reason = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
            c.Disconnected += (_, r) => reason.TrySetResult(r);
            return reason.Task;
        }).ToArray();
        try
        {
            var watch = Stopwatch.StartNew();
            await Wait.ForAsync(server.Server.StopAsync(), "StopAsync");
            watch.Elapsed.Should().BeLessThan(StopBudget);

            foreach (var (client, reason) in all.Zip(reasons))
            {
                var why = await Wait.ForAsync(reason, $"{client} to be disconnected");
                why.Code.Should().Be(ErrorCode.ShuttingDown, $"{client} was told {why}");
                why.Kind.Should().Be(DisconnectKind.RemoteError);
            }
        }
        finally
        {
            foreach (var client in all)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task StopAsync_finishes_within_2_s_even_when_a_client_has_stopped_reading()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var stalled = await server.LoginRawAsync("alice");

        var watch = Stopwatch.StartNew();
        await Wait.ForAsync(server.Server.StopAsync(), "StopAsync");

        watch.Elapsed.Should().BeLessThan(StopBudget);
        await stalled.ExpectErrorThenCloseAsync(ErrorCode.ShuttingDown, ChatCommand.ServerDisconnected);
    }
}
