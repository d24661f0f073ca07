using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Transport;

/// <summary>
/// Where the closing frame goes: ahead of queued frames (ChatSocket's Error) or after them (IRC's ERROR); and how many
/// priority frames count against a client's Pong limit.
/// </summary>
public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static ReadOnlyMemory<byte> Frame(byte tag) => new byte[] { tag };

    private static async Task<byte[]> DrainAsync(OutboundQueue queue)
    {
        var taken = new List<byte>();
        while (await queue.TakeAllAsync([]).AsTask().WaitAsync(Timeout) is { } batch)
        {
            taken.AddRange(batch.Select(f => f.Span[0]));
        }

        return taken.ToArray();
    }

    [Test]
    public async Task The_final_frame_jumps_ahead_of_queued_frames_by_default()
    {
        var queue = new OutboundQueue(100, 1 << 20);
        queue.TryEnqueue(Frame(1));
        queue.TryEnqueue(Frame(2));

        queue.CompleteWith(Frame(9));

        (await DrainAsync(queue)).Should().Equal(9, 1, 2);
        queue.TryEnqueue(Frame(3)).Should().Be(EnqueueResult.Closed);
    }

    [Test]
    public async Task After_queued_the_final_frame_goes_last()
    {
        var queue = new OutboundQueue(100, 1 << 20);
        queue.TryEnqueue(Frame(1));
        queue.TryEnqueue(Frame(2));

        queue.CompleteWith(Frame(9), afterQueued: true);

        (await DrainAsync(queue)).Should().Equal(1, 2, 9);
        queue.TryEnqueue(Frame(3)).Should().Be(EnqueueResult.Closed);
    }

    [Test]
    public async Task The_leading_priority_frames_do_not_count_while_queued_nor_after_they_were_taken()
    {
        // The server's Hello leads the lane; a client's 32 Pongs are counted without it (a spec audit got 31).
        var queue = new OutboundQueue(100, 1 << 20);
        queue.TryEnqueue(Frame(0), priority: true);
        queue.TryEnqueue(Frame(1), priority: true);
        queue.TryEnqueue(Frame(2), priority: true);
        queue.PriorityCountBeyond(1).Should().Be(2);
        queue.PriorityCountBeyond(0).Should().Be(3);

        (await queue.TakeAllAsync([]).AsTask().WaitAsync(Timeout))!.Select(f => f.Span[0]).Should().Equal(0, 1, 2);
        queue.TryEnqueue(Frame(3), priority: true);
        queue.PriorityCountBeyond(1).Should().Be(1, "the Hello was taken already, so the one frame queued now is a Pong");
    }
}
