using LanTalk.Harness.Infra;

namespace LanTalk.Core.Tests.Harness;

/// <summary>
/// The open-loop sender's sleep (harness/Infra/PreciseSleep): it must never send early. How close to the time it
/// wakes is a property of the host, so it is measured in benchmark runs (each reports "sender lateness"), not here.
/// </summary>
public sealed class PreciseSleepTests
{
    [Test]
    public void A_time_already_past_returns_without_sleeping()
    {
        long before = Clock.Now;

        PreciseSleep.Until(before - Clock.FromSeconds(1));

        Clock.ToSeconds(Clock.Now - before).Should().BeLessThan(0.5, "nothing is left to wait for");
    }

    [Test]
    public void One_sleep_until_a_time_returns_at_or_after_it()
    {
        // One call, no loop around it: an implementation that rounds a sub-millisecond wait down (to no sleep, or to
        // a shorter one) returns early and fails here.
        for (int i = 0; i < 20; i++)
        {
            long target = Clock.Now + Clock.FromSeconds(0.0003);

            PreciseSleep.Until(target);

            Clock.Now.Should().BeGreaterThanOrEqualTo(target, $"sleep {i + 1} of 20 returned before its time");
        }
    }
}
