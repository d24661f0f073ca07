using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>A page of the store is cut to a quarter of the session's outbound queue, from the end it was read towards.</summary>
public sealed class QueueShareTests
{
    private static readonly HistoryPage Ten = new(Enumerable.Range(1, 10).Select(i => new StoredMessage(i, "lobby", "bob", null, $"m{i}", MessageKind.Normal, 0)).ToList(), Remaining: 5);

    // Every frame 100 bytes, its first byte the message's id: a share of 350 bytes holds three.
    private static byte[] Frame(StoredMessage message)
    {
        var frame = new byte[100];
        frame[0] = (byte)message.Id;
        return frame;
    }

    [Test]
    public void A_page_read_backwards_keeps_its_newest_and_counts_the_cut_ones_as_remaining()
    {
        var (frames, page) = new QueueShare(Frames: 100, Bytes: 350).Fit(Ten, Frame, forward: false);

        frames.Select(f => (long)f[0]).Should().Equal([8, 9, 10], "sent oldest first");
        page.Messages.Select(m => m.Id).Should().Equal(8, 9, 10);
        page.Remaining.Should().Be(12);
    }

    [Test]
    public void A_page_read_forwards_keeps_its_oldest()
    {
        var (_, page) = new QueueShare(Frames: 4, Bytes: long.MaxValue).Fit(Ten, Frame, forward: true);

        page.Messages.Select(m => m.Id).Should().Equal(1, 2, 3, 4);
        page.Remaining.Should().Be(11);
    }

    [Test]
    public void A_page_that_fits_is_unchanged_and_one_message_always_goes()
    {
        var (frames, page) = new QueueShare(Frames: 10, Bytes: 1000).Fit(Ten, Frame, forward: false);
        page.Should().BeSameAs(Ten);
        frames.Select(f => (long)f[0]).Should().Equal(Enumerable.Range(1, 10).Select(i => (long)i), "in the page's order");
        new QueueShare(Frames: 1, Bytes: 1).Fit(Ten, Frame, forward: false).Page.Messages.Select(m => m.Id).Should().Equal(10);
    }
}
