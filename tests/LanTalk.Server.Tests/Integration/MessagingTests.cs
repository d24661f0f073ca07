using LanTalk.Core.Client;

namespace LanTalk.Server.Tests.Integration;

[TestFixture]
public sealed class MessagingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Public_message_reaches_every_user_once_and_is_echoed_to_the_sender()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var received = new Dictionary<string, List<ChatMessage>>();
        var clients = new List<ChatClient>();
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            var client = await server.LoginAsync(name);
            var inbox = received[name] = new List<ChatMessage>();
            client.MessageReceived += (_, m) => { lock (inbox) { inbox.Add(m); } };
            clients.Add(client);
        }

        var echo = await clients[0].SendPublicAsync("hello, world 👋");

        echo.From.Should().Be("alice");
        echo.Text.Should().Be("hello, world 👋");
        foreach (var (name, inbox) in received)
        {
            await WaitUntil(() => { lock (inbox) { return inbox.Count >= 1; } }, $"{name} gets the message");
        }

        received.Values.Should().AllSatisfy(inbox => inbox.Should().ContainSingle().Which.Id.Should().Be(echo.Id));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var signal = new SemaphoreSlim(0);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await signal.WaitAsync(10);
        }
    }
}
