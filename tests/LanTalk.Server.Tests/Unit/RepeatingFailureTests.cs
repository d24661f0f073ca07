using LanTalk.Server.Logging;

namespace LanTalk.Server.Tests.Unit;

/// <summary>The rate limit of a repeating failure's reports, and the report of its end when nothing else tells it.</summary>
[TestFixture]
public sealed class RepeatingFailureTests
{
    [Test]
    public void A_failure_that_stops_is_ended_once_it_was_quiet_long_enough_with_the_count_never_reported()
    {
        long now = 0;
        var failure = new RepeatingFailure(TimeSpan.FromMinutes(1), () => now);
        failure.Occurred(out _, out _).Should().BeTrue("the first is reported at once");
        for (int i = 0; i < 230; i++)
        {
            now += 20;
            failure.Occurred(out _, out _).Should().BeFalse("within the minute the rest are only counted");
        }

        now += 9_000;
        failure.EndedQuietly(TimeSpan.FromSeconds(10), out _, out _).Should().BeFalse("9 s without a failure is not yet quiet");
        now += 1_000;
        failure.EndedQuietly(TimeSpan.FromSeconds(10), out var lasted, out int unreported).Should().BeTrue();
        unreported.Should().Be(230);
        lasted.Should().Be(TimeSpan.FromMilliseconds(230 * 20));
        failure.EndedQuietly(TimeSpan.FromSeconds(10), out _, out _).Should().BeFalse("it ended once");
        failure.Occurred(out _, out _).Should().BeTrue("a new outage is reported at once again");
    }
}
