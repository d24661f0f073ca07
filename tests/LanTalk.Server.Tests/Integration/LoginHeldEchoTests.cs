using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// At a login that delivers stored private messages, the live frames (the echoes of what the session sends meanwhile
/// among them) are held until the stored ones are queued. A command, a Logout or FIN, sent right after such messages,
/// must come after their echoes: a Logout that closed first dropped them (an outside audit, 2026-12-07: 28 of 30),
/// though the messages were stored and delivered. The stored delivery is held open by the LoginSettled event until
/// bob, the recipient, has all the messages (routed: their echoes are held) and, on the old code, alice's logout.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LoginHeldEchoTests
{
    private const int Sent = 3;

    [TestCase(ChatCommand.Logout)]
    [TestCase(ChatCommand.WhoIs)]
    public async Task Messages_sent_while_the_stored_ones_are_queued_are_acknowledged_before_the_next_command(ChatCommand next)
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        (await server.History.AppendPrivateAsync("bob", "alice", "while you were out", queueForDelivery: true)).Status
            .Should().Be(AppendStatus.StoredForDelivery);
        await using var bob = await V3.LoginAsync(server, "bob");

        // Holds alice's stored delivery (the event runs just before it) until bob has her messages and, on the old
        // code, her logout's presence; with the fix the logout waits for the echoes, so that never comes and the hold
        // ends at its bound.
        var bobHasThem = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aliceLeft = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.LoginSettled += (session, _) =>
        {
            if (session.UserName == "alice" && bobHasThem.Task.Wait(Wait.Timeout))
            {
                aliceLeft.Task.Wait(TimeSpan.FromSeconds(1));
            }
        };
        await using var alice = await V3.LoginAsync(server, "alice");

        var frames = Enumerable.Range(1, Sent).SelectMany(tag =>
            FrameCodec.Serialize(ChatCommand.PrivateMessage, "bob", new SendTextPacket((uint)tag, $"quick {tag}")).ToArray());
        var last = next == ChatCommand.Logout
            ? FrameCodec.Serialize(ChatCommand.Logout, string.Empty, EmptyPacket.Instance)
            : FrameCodec.Serialize(ChatCommand.WhoIs, string.Empty, new RoomRequestPacket(9, Name: "bob"));
        await alice.SendBytesAsync(frames.Concat(last.ToArray()).ToArray());

        for (int i = 1; i <= Sent; i++)
        {
            await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Text: var text } && text == $"quick {i}", $"alice's message {i}");
        }

        bobHasThem.SetResult();
        if (next == ChatCommand.Logout)
        {
            _ = bob.ReadUntilAsync(f => f.Command == ChatCommand.UserDisconnected, "alice's logout").ContinueWith(
                t =>
                {
                    // Observed: the read ends with bob's connection when the test does.
                    _ = t.Exception;
                    aliceLeft.TrySetResult();
                },
                TaskScheduler.Default);
        }

        var answers = new List<ReceivedFrame>();
        while (answers.Count < Sent + (next == ChatCommand.WhoIs ? 1 : 0))
        {
            var frame = await alice.ReadFrameAsync();
            frame.Should().NotBeNull($"every message's echo should come before the close; got {string.Join(", ", answers)}");
            if (frame!.Packet is ChatMessagePacket { Flags: var flags } && !flags.HasFlag(MessageMarks.Offline) || frame.Command == ChatCommand.WhoIs)
            {
                answers.Add(frame);
            }
        }

        answers.Take(Sent).Select(f => ((ChatMessagePacket)f.Packet).Tag).Should().Equal([1u, 2u, 3u], "the echoes, in order, first");
        if (next == ChatCommand.WhoIs)
        {
            answers[^1].Packet.Should().BeOfType<UserInfoPacket>("the WhoIs is answered after the echoes of the messages sent before it");
        }
        else
        {
            (await alice.ReadFrameAsync()).Should().BeNull("the logout closes the connection after the echoes");
        }
    }
}
