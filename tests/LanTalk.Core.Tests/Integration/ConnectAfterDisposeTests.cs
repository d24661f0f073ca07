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

    [Test]
    public async Task Login_Register_and_Connect_on_a_client_disposed_after_logging_in_say_it_was_disposed()
    {
        // They said "already logging in or logged in" and "a ChatClient connects once", as if the session were alive
        // (an outside API audit, a-lib, LOW 9).
        await using var server = new ScriptedServer();
        var client = new ChatClient();
        await server.LogInAsync(client);
        await client.DisposeAsync();

        foreach (var call in new Func<Task>[]
        {
            () => client.LoginAsync("alice", "password1"),
            () => client.RegisterAsync("alice", "password1"),
            () => client.ConnectAsync("127.0.0.1", server.Port),
        })
        {
            (await call.Should().ThrowAsync<ObjectDisposedException>()).Which.Message.Should().Contain("this client was disposed");
        }
    }
}
