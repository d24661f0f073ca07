using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// An event handler is the caller's code: its exception goes to HandlerFailed, and the connection, the event's other
/// handlers and the frames after it are not touched.
/// </summary>
[TestFixture]
public sealed class ThrowingHandlerTests
{
    private static byte[] Message(ulong id, string text) =>
        FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new ChatMessagePacket(id, 1_700_000_000_000, "bob", 0, text));
    [Test]
    public async Task A_MessageReceived_handler_that_throws_is_reported_and_the_client_keeps_reading()
    {
        // A bot whose handler threw on one message sent the server an Error frame, dropped the messages after it and
        // was disconnected with InternalError (an API audit, 2026-12-06).
        await using var server = new ScriptedServer();
        await using var client = new ChatClient();
        var failures = new List<(string Name, Exception Error)>();
        var received = new List<string>();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.HandlerFailed += (_, name, error) => failures.Add((name, error));
        client.MessageReceived += (_, m) =>
        {
            if (m.Text == "one")
            {
                throw new InvalidOperationException("a bot's bug");
            }
        };
        client.MessageReceived += (_, m) =>
        {
            received.Add(m.Text);
            if (m.Text == "three")
            {
                third.TrySetResult();
            }
        };
        client.FrameObserver = (_, frame) =>
        {
            if (frame.Command == ChatCommand.PublicMessage)
            {
                throw new FormatException("an observer's bug");
            }
        };
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello());
        await connect;

        await server.SendAsync(Message(1, "one"), Message(2, "two"), Message(3, "three"));
        await third.Task.WaitAsync(Wait.Timeout);

        received.Should().Equal(["one", "two", "three"], "the second handler still runs after the first threw, and the frames after it are read");
        client.IsConnected.Should().BeTrue();
        failures.Select(f => f.Name).Should().Equal(["FrameObserver", "MessageReceived", "FrameObserver", "FrameObserver"]);
        failures[1].Error.Message.Should().Be("a bot's bug");
    }
}
