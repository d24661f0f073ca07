using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// Requests answered from history are taken up as the client reads the answers before them (AnswerPacing): a burst of
/// them is paced by TCP instead of being read from the store and queued at once.
/// </summary>
[TestFixture]
public sealed class HistoryAnswerPacingTests
{
    private const int Pages = 24;

    [Test]
    public async Task A_burst_of_history_pages_waits_for_the_client_to_read_and_all_are_answered()
    {
        // Each page is cut to a quarter of the 128 KiB queue (32 KiB): 24 of them queued at once overflowed it, and the
        // session was cut off as a slow consumer (an abuse audit, 2026-12-07: eight sessions doing this stalled everyone).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { OutboundQueueBytes = 128 * 1024 }, "alice", "bob");
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => server.History.AppendRoomAsync("lobby", "alice", $"m{i:D3} " + new string('x', 4000))));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.AnswerHeld += _ => held.TrySetResult();
        server.Server.SessionEnded += _ => ended.TrySetResult();

        // A small receive buffer: the first answer alone fills the socket while bob reads nothing.
        await using var bob = await server.ConnectRawAsync(socket => socket.ReceiveBufferSize = 4096);
        (await bob.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);
        await bob.SendAsync(ChatCommand.Hello, new ClientHelloPacket(3, "pacing test"));
        await bob.SendAsync(ChatCommand.RequestLogin, new LoginPacket("bob", TestServer.Password));
        (await bob.ReadUntilAsync(f => f.Command is ChatCommand.UserAuthenticated or ChatCommand.Error, "bob's login")).Command.Should().Be(ChatCommand.UserAuthenticated);
        var burst = Enumerable.Range(1, Pages).SelectMany(tag =>
            FrameCodec.Serialize(ChatCommand.History, "lobby", new HistoryRequestPacket((uint)tag, HistoryScope.Room, Limit: 200)).ToArray());
        await bob.SendBytesAsync(burst.ToArray());

        var first = await Task.WhenAny(held.Task, ended.Task).WaitAsync(Wait.Timeout);
        first.Should().BeSameAs(held.Task, "a request waits while bob has not read the answers before it, instead of all being queued at once");

        var tags = new List<uint>();
        while (tags.Count < Pages)
        {
            var answer = await bob.ReadUntilAsync(f => f.Packet is HistoryEndPacket or ErrorPacket, $"the end of page {tags.Count + 1}");
            answer.Packet.Should().BeOfType<HistoryEndPacket>($"got {answer}");
            tags.Add(((HistoryEndPacket)answer.Packet).Tag);
        }

        tags.Should().Equal(Enumerable.Range(1, Pages).Select(t => (uint)t));
        ended.Task.IsCompleted.Should().BeFalse("bob read every answer, so nothing cut him off");
    }
}
