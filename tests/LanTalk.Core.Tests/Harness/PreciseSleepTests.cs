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
    public void Sleeping_until_a_time_never_returns_before_it()
    {
        // As the sender uses it: sleep again until the time has come (a signal may end one sleep early).
        for (int i = 0; i < 20; i++)
        {
            long target = Clock.Now + Clock.FromSeconds(0.0003);
            while (Clock.Now < target)
            {
                PreciseSleep.Until(target);
            }

            Clock.Now.Should().BeGreaterThanOrEqualTo(target);
        }
    }
}
