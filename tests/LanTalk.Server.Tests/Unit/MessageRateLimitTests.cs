using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit;

/// <summary>The flood limit ChatSocket and IRC sessions share: a burst, then refusals, then the cut.</summary>
[TestFixture]
public sealed class MessageRateLimitTests
{
    // A refill of one token per 1,000 s: nothing refills while the test runs.
    private const double Slow = 0.001;

    [Test]
    public void A_new_limit_allows_a_full_burst_then_refuses_and_calls_a_hundred_and_one_refusals_in_a_row_abusive()
    {
        var limit = new MessageRateLimit();

        Enumerable.Range(0, 5).Select(_ => limit.Take(Slow, burst: 5)).ToList().Should().AllBeEquivalentTo(RateVerdict.Allowed);
        Enumerable.Range(0, MessageRateLimit.MaxRefusalsInARow).Select(_ => limit.Take(Slow, burst: 5)).ToList().Should().AllBeEquivalentTo(RateVerdict.Refused);
        limit.Take(Slow, burst: 5).Should().Be(RateVerdict.Abusive);
        limit.RefusalsInARow.Should().Be(MessageRateLimit.MaxRefusalsInARow + 1);
    }

    [Test]
    public void A_bucket_given_a_start_holds_only_that_many()
    {
        var bucket = new TokenBucket(tokens: 2);

        bucket.TryTake(Slow, capacity: 32).Should().BeTrue();
        bucket.TryTake(Slow, capacity: 32).Should().BeTrue();
        bucket.TryTake(Slow, capacity: 32).Should().BeFalse("it started with 2, not full");
    }
}
