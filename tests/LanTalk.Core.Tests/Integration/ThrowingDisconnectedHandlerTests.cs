using LanTalk.Core.Client;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Integration;

/// <summary>A Disconnected handler is the caller's code too: its exception must not replace why the connection closed.</summary>
[TestFixture]
public sealed class ThrowingDisconnectedHandlerTests
{
    [Test]
    public async Task A_Disconnected_handler_that_throws_does_not_escape_DisposeAsync_and_Completion_keeps_the_reason()
    {
        // DisposeAsync threw the handler's exception, and Completion faulted with it, so code waiting on Completion
        // to reconnect never learned why the connection closed (an API audit, 2026-12-06).
        await using var server = new ScriptedServer();
        var client = new ChatClient();
        string? reported = null;
        client.HandlerFailed += (_, name, _) => reported = name;
        client.Disconnected += (_, _) => throw new InvalidOperationException("a handler's bug");
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello());
        await connect;

        await client.DisposeAsync();

        var reason = await client.Completion.WaitAsync(Wait.Timeout);
        reason.Kind.Should().Be(DisconnectKind.Local);
        reason.Message.Should().Be("client disposed");
        reported.Should().Be("Disconnected");
    }
}
