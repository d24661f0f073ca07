using LanTalk.Server.History;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>One session's messages are delivered in the order it sent them, whatever order their appends finish in.</summary>
public sealed class SendSequenceTests
{
    [Test]
    public void A_message_whose_append_finishes_first_waits_for_the_earlier_one()
    {
        var sequence = new SendSequence();
        var delivered = new List<long>();
        Action<AppendResult>? first = null;

        sequence.Then(done => first = done, r => delivered.Add(r.Id));
        sequence.Then(done => done(Stored(2)), r => delivered.Add(r.Id));
        delivered.Should().BeEmpty("message 2 is done but message 1 is not");

        first!(Stored(1));
        delivered.Should().Equal(1, 2);
    }

    [Test]
    public void Messages_behind_an_unfinished_delivery_wait_for_its_task()
    {
        var sequence = new SendSequence();
        var delivered = new List<long>();
        var storedRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Message 1's delivery goes on after it returns (the recipient's stored messages being read and sent).
        sequence.Then(done => done(Stored(1)), r =>
        {
            lock (delivered)
            {
                delivered.Add(r.Id);
            }

            return storedRead.Task;
        });
        sequence.Then(done => done(Stored(2)), r =>
        {
            lock (delivered)
            {
                delivered.Add(r.Id);
            }

            lastDelivered.SetResult();
        });

        lock (delivered)
        {
            delivered.Should().Equal([1L], "message 2 waits until message 1's delivery has finished");
        }

        storedRead.SetResult();
        lastDelivered.Task.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        lock (delivered)
        {
            delivered.Should().Equal(1, 2);
        }
    }

    private static AppendResult Stored(long id) => new(AppendStatus.Stored, id, 0);
}
