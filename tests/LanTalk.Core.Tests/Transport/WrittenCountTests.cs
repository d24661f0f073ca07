using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Transport;

/// <summary>
/// FramesAccepted and FramesWritten: a frame counts as written only once the stream took it, so a producer (the
/// server's delivery of stored messages) can tell what a peer that stopped reading never got.
/// </summary>
public sealed class WrittenCountTests
{
    [Test]
    public async Task Frames_a_peer_does_not_read_are_accepted_but_not_written_until_it_reads()
    {
        const int count = 200;
        await using var test = new ConnectionUnderTest(peerReadLimit: 2048);
        test.Start();
        for (uint i = 1; i <= count; i++)
        {
            test.Connection.Send(ChatCommand.PublicMessage, string.Empty, new ChatMessagePacket(i, 1_700_000_000_000, "alice", i, new string('x', 100))).Should().BeTrue();
        }

        test.Connection.FramesAccepted.Should().Be(count);
        // The peer reads nothing: the writes stop after about 2 KB, far short of the 200 frames (about 25 KB).
        (await CountSettlesAsync(test)).Should().BeLessThan(count / 2, "frames stuck behind a peer that does not read are not written");

        for (int i = 0; i < count; i++)
        {
            await test.Peer.ExpectFrameAsync();
        }

        (await CountReachesAsync(test, count)).Should().BeTrue("every frame was written once the peer read them");
    }

    [Test]
    public async Task A_direct_write_and_a_queued_batch_are_both_counted()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        test.Connection.Send(ChatCommand.Ping, string.Empty, new PingPacket(1)).Should().BeTrue();
        await test.Peer.ExpectFrameAsync();
        for (uint i = 2; i <= 50; i++)
        {
            test.Connection.Send(ChatCommand.Ping, string.Empty, new PingPacket(i)).Should().BeTrue();
        }

        for (int i = 2; i <= 50; i++)
        {
            await test.Peer.ExpectFrameAsync();
        }

        (await CountReachesAsync(test, 50)).Should().BeTrue();
        test.Connection.FramesAccepted.Should().Be(50);
    }

    // The written count once it has stopped moving for a while (the writer blocked on the full stream).
    private static async Task<long> CountSettlesAsync(ConnectionUnderTest test)
    {
        long last = -1;
        var deadline = DateTime.UtcNow + PeerEnd.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            long now = test.Connection.FramesWritten;
            if (now == last && now > 0)
            {
                return now;
            }

            last = now;
            await Task.Delay(50);
        }

        return test.Connection.FramesWritten;
    }

    private static async Task<bool> CountReachesAsync(ConnectionUnderTest test, long count)
    {
        var deadline = DateTime.UtcNow + PeerEnd.Timeout;
        while (test.Connection.FramesWritten < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return test.Connection.FramesWritten == count;
    }
}
