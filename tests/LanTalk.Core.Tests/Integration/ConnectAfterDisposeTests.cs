using LanTalk.Core.Client;

namespace LanTalk.Core.Tests.Integration;

/// <summary>A disposed client stays disposed, whether or not it had connected.</summary>
[TestFixture]
public sealed class ConnectAfterDisposeTests
{
    [Test]
    public async Task ConnectAsync_on_a_client_disposed_before_connecting_throws_ObjectDisposedException()
    {
        await using var server = new ScriptedServer();
        var client = new ChatClient();
        await client.DisposeAsync();

        var connect = () => client.ConnectAsync("127.0.0.1", server.Port);

        await connect.Should().ThrowAsync<ObjectDisposedException>();
        client.IsConnected.Should().BeFalse();
    }
}
