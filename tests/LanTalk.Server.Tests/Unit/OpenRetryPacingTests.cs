using LanTalk.Server.Hosting;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// When start-up opens history.db again after a failure: a cheap attempt every 2 s, an expensive one (an upgrade that
/// filled the disk) only once more space is free than it started with, or after a minute.
/// </summary>
[TestFixture]
public sealed class OpenRetryPacingTests
{
    private const long MiB = 1024 * 1024;

    private static OpenRetryPacing NewPacing() => new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    [Test]
    public void A_cheap_failure_is_tried_again_every_interval_whatever_the_space()
    {
        var pacing = NewPacing();
        pacing.Failed(TimeSpan.FromMilliseconds(3), freeBefore: 100 * MiB, nowMs: 10_000).Should().BeFalse("a read-only file system fails in a few syscalls");
        pacing.ShouldRetry(11_999, freeNow: 100 * MiB).Should().BeFalse("not before the interval");
        pacing.ShouldRetry(12_000, freeNow: 100 * MiB).Should().BeTrue("chat starts within seconds of the fix");
    }

    [Test]
    public void An_expensive_failure_waits_while_no_more_space_is_free_than_it_started_with()
    {
        var pacing = NewPacing();
        pacing.Failed(TimeSpan.FromSeconds(6), freeBefore: 100 * MiB, nowMs: 0).Should().BeTrue("an upgrade's rebuild ran until the disk was full");
        for (long now = 2_000; now < 60_000; now += 2_000)
        {
            pacing.ShouldRetry(now, freeNow: 100 * MiB).Should().BeFalse($"the same space cannot hold the same rebuild ({now} ms after it)");
            pacing.ShouldRetry(now, freeNow: 100 * MiB + 64 * 1024).Should().BeFalse("the failed attempt's log and pages given back are not new space");
        }

        pacing.ShouldRetry(60_000, freeNow: 100 * MiB).Should().BeTrue("after a minute it is tried anyway: space can come back in ways free bytes do not show");
    }

    [Test]
    public void An_expensive_failure_is_tried_again_as_soon_as_space_was_freed()
    {
        var pacing = NewPacing();
        pacing.Failed(TimeSpan.FromSeconds(6), freeBefore: 100 * MiB, nowMs: 0);
        pacing.ShouldRetry(1_000, freeNow: 500 * MiB).Should().BeFalse("never sooner than the interval");
        pacing.ShouldRetry(2_000, freeNow: 101 * MiB).Should().BeTrue("the operator freed space");
    }

    [Test]
    public void An_expensive_failure_with_the_space_unknown_is_paced_like_a_cheap_one()
    {
        var pacing = NewPacing();
        pacing.Failed(TimeSpan.FromSeconds(6), freeBefore: null, nowMs: 0).Should().BeFalse("nothing to compare with");
        pacing.ShouldRetry(2_000, freeNow: null).Should().BeTrue();
    }
}
