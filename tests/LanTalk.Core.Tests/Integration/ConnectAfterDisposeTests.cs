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
    public async Task DisposeAsync_during_ConnectAsync_ends_the_connect_as_disposed_and_leaves_no_connection()
    {
        // DisposeAsync returned at once (no connection yet), and the connect then completed: the keep-alive pinged, and
        // LoginAsync logged in on the disposed client, which held one of the user's sessions (an API audit, 2026-12-06).
        await using var server = new ScriptedServer();
        var wrapping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A TLS handshake under way, held open by the test: the window between the TCP connect and the connection.
        var client = new ChatClient(new ChatClientOptions
        {
            WrapStream = async (stream, _, _) =>
            {
                wrapping.TrySetResult();
                await release.Task;
                return stream;
            },
        });
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await wrapping.Task.WaitAsync(Wait.Timeout);

        await client.DisposeAsync();
        release.SetResult();
        await server.SendAsync(ScriptedServer.Hello());

        await connect.Awaiting(c => c.WaitAsync(Wait.Timeout)).Should().ThrowAsync<ObjectDisposedException>().WithMessage("*disposed while connecting*");
        client.IsConnected.Should().BeFalse();
        var login = () => client.LoginAsync("alice", "password1");
        await login.Should().ThrowAsync<Exception>("nothing is left to log in on");
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
