using System.Runtime.CompilerServices;
using LanTalk.Core.Client;

namespace LanTalk.Core.Tests.Unit;

/// <summary>A reply failed at the disconnect after its caller gave up is not an unobserved-task exception.</summary>
[TestFixture]
[NonParallelizable] // UnobservedTaskException is process-wide: another fixture's could be counted here.
public sealed class ReplyFaultTests
{
    [Test]
    public void A_reply_faulted_with_nobody_awaiting_it_raises_no_unobserved_exception()
    {
        // A cancelled RequestUsersAsync or LoginAsync stayed registered; the disconnect faulted it and nobody read it:
        // one UnobservedTaskException each (an API audit, 2026-12-06).
        var marker = new ChatClientException(ChatFailure.ConnectionLost, "reply fault test");
        int unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> count = (_, e) =>
        {
            if (e.Exception.InnerExceptions.Contains(marker))
            {
                Interlocked.Increment(ref unobserved);
            }
        };
        TaskScheduler.UnobservedTaskException += count;
        try
        {
            FaultAbandonedReply(marker);
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= count;
        }

        unobserved.Should().Be(0);
    }

    [Test]
    public async Task A_caller_still_awaiting_the_reply_gets_the_failure()
    {
        var reply = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var failure = new ChatClientException(ChatFailure.ConnectionLost, "gone");

        ReplyFault.Set(reply, failure);

        var wait = () => reply.Task;
        (await wait.Should().ThrowAsync<ChatClientException>()).Which.Should().BeSameAs(failure);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FaultAbandonedReply(Exception failure) =>
        ReplyFault.Set(new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously), failure);
}
