using LanTalk.Client.Connection;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// Several windows started at once from one machine: the server admits only so many logins under way per address and
/// refuses the rest with "try again in a moment". The client does, instead of exiting (real server, real sockets).
/// </summary>
[TestFixture]
public sealed class BusyLoginTests
{
    [Test]
    public async Task A_connection_refused_while_another_from_this_address_logs_in_is_tried_again_and_gets_in()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxPendingLoginsPerAddress = 1 }, "alice");
        using var home = new TempDirectory();
        var holder = await server.ConnectRawAsync();
        (await holder.ReadFrameAsync()).Should().NotBeNull("the first connection holds the address's one place, logging in");
        ServerAddress.TryParse($"127.0.0.1:{server.Port}", 0, out var address, out _).Should().BeTrue();
        var connector = new ServerConnector(new ConnectOptions { Server = address, Plaintext = true, KnownServersFile = home.File("known_servers") });
        var busy = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        connector.Busy += attempt => busy.TrySetResult(attempt);

        var connecting = connector.ConnectAsync(CancellationToken.None);

        (await busy.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(1, "the first try is refused while the other logs in");
        await holder.DisposeAsync();
        await using var client = await connecting.WaitAsync(TimeSpan.FromSeconds(15));
        client.IsConnected.Should().BeTrue("the next try gets the place the other gave back");
    }
}
