using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// The keep-alive of a client whose event handler holds the reader: the frames the server sent meanwhile wait unread,
/// so the silence is the handler's, not the server's.
/// </summary>
[TestFixture]
public sealed class BusyHandlerKeepAliveTests
{
    [Test]
    public async Task Ticks_while_a_handler_holds_the_reader_do_not_declare_the_server_dead_and_the_client_reads_on()
    {
        // A bot's handler that ran 12 s made the client close a healthy connection: "the server has been silent for
        // 8.7 s; the connection is dead" (an API audit, 2026-12-06).
        await using var server = new ScriptedServer();
        // An hour: the timer never ticks by itself during the test; the test drives the ticks.
        await using var client = new ChatClient(new ChatClientOptions { Version = 3, PingInterval = TimeSpan.FromHours(1) });
        await server.LogInAsync(client);
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.MessageReceived += (_, message) =>
        {
            if (message.Text == "after")
            {
                after.TrySetResult();
            }

            if (message.Text == "slow")
            {
                entered.TrySetResult();
                // The behaviour under test: a handler that takes its time on the read loop.
                release.Wait(Wait.Timeout);
            }
        };

        await server.SendAsync(Message(1, "slow"));
        await entered.Task.WaitAsync(Wait.Timeout);
        long start = Environment.TickCount64;
        long twentyMinutes = (long)TimeSpan.FromMinutes(20).TotalMilliseconds;
        for (int i = 0; i <= 6; i++)
        {
            // Two hours of ticks on time (one every 20 minutes of a 15-minute period): not a paused process.
            client.KeepAliveTick(start + (i * twentyMinutes));
        }

        client.IsConnected.Should().BeTrue("the reader was held by the handler for two hours of ticks: the silence is ours");
        release.Set();
        await server.SendAsync(Message(2, "after"));
        await Wait.ForAsync(after.Task, "the message after the slow handler");
        client.IsConnected.Should().BeTrue();
    }

    private static byte[] Message(ulong id, string text) => FrameCodec.Serialize(ChatCommand.PublicMessage, "lobby",
        new ChatMessagePacket(id, 1_700_000_000_000 + (long)id, "bob", 0, text));
}
