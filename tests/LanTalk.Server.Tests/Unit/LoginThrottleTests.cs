using System.Net;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// The failed-login limits (issue 11, item 2): guesses spread over many addresses stay capped by the per-name limit,
/// yet an address that has logged in as that name before is exempt from it, so the real user is not locked out.
/// </summary>
[TestFixture]
public sealed class LoginThrottleTests
{
    private static readonly IPAddress s_home = IPAddress.Parse("10.0.0.5");

    [Test]
    public void Guesses_spread_over_many_addresses_lock_the_name_for_unknown_addresses()
    {
        var throttle = new LoginThrottle(limit: 5, TimeSpan.FromMinutes(5));
        for (int i = 1; i <= 5; i++)
        {
            throttle.RetryAfter(Attacker(i), "alice", knownAddress: false).Should().BeNull($"guess {i} comes from a fresh address");
            throttle.Failed(Attacker(i), "alice");
        }

        throttle.RetryAfter(Attacker(6), "alice", knownAddress: false).Should().NotBeNull("a 6th address is still capped by the name's limit");
        throttle.RetryAfter(Attacker(6), "bob", knownAddress: false).Should().BeNull("other names are not affected");
    }

    [Test]
    public void An_address_that_logged_in_as_the_name_before_is_exempt_from_the_name_limit()
    {
        var throttle = new LoginThrottle(limit: 5, TimeSpan.FromMinutes(5));
        throttle.Succeeded(s_home, "alice");
        for (int i = 1; i <= 20; i++)
        {
            throttle.Failed(Attacker(i), "alice");
        }

        throttle.HasSucceeded(s_home, "ALICE").Should().BeTrue("names compare case-insensitively");
        throttle.HasSucceeded(s_home, "bob").Should().BeFalse();
        throttle.RetryAfter(s_home, "alice", knownAddress: throttle.HasSucceeded(s_home, "alice")).Should().BeNull();
        throttle.RetryAfter(Attacker(21), "alice", knownAddress: false).Should().NotBeNull();
    }

    [Test]
    public void A_known_address_still_has_its_own_per_address_limit()
    {
        var throttle = new LoginThrottle(limit: 3, TimeSpan.FromMinutes(5));
        throttle.Succeeded(s_home, "alice");
        for (int i = 0; i < 3; i++)
        {
            throttle.Failed(s_home, "alice");
        }

        var wait = throttle.RetryAfter(s_home, "alice", knownAddress: true);
        wait.Should().NotBeNull("guessing from the user's own machine is capped like any address");
        wait!.Value.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
    }

    [Test]
    public void A_success_does_not_reset_the_name_limit_for_a_guesser()
    {
        var throttle = new LoginThrottle(limit: 3, TimeSpan.FromMinutes(5));
        for (int i = 1; i <= 3; i++)
        {
            throttle.Failed(Attacker(i), "alice");
        }

        throttle.Succeeded(s_home, "alice");

        throttle.RetryAfter(Attacker(4), "alice", knownAddress: false).Should().NotBeNull("the real user's login must not hand the guesser a fresh allowance");
    }

    [Test]
    public void The_back_off_doubles_with_each_further_failure_up_to_the_window()
    {
        var throttle = new LoginThrottle(limit: 1, TimeSpan.FromSeconds(3));
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 4; i++)
        {
            throttle.Failed(Attacker(1), "alice");
            waits.Add(throttle.RetryAfter(Attacker(1), "alice", knownAddress: false)!.Value);
        }

        waits[0].Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
        waits[1].Should().BeGreaterThan(TimeSpan.FromSeconds(1)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
        waits[3].Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3), "capped at the window");
    }

    private static IPAddress Attacker(int n) => IPAddress.Parse($"10.0.1.{n}");

    [Test]
    public void Refused_attempts_are_logged_once_and_then_once_per_interval_with_the_count()
    {
        // One WARN per refused attempt let a client with no account grow the log by about 1 MB a second (a soak audit).
        long now = 0;
        var throttle = new LoginThrottle(5, TimeSpan.FromMinutes(5), () => now);

        throttle.ShouldLogRefusal(out string first).Should().BeTrue("the first refusal is logged at once");
        first.Should().BeEmpty();
        Enumerable.Range(0, 5000).Count(i => throttle.ShouldLogRefusal(out _)).Should().Be(0, "the rest within the interval are only counted");

        now += (long)LoginThrottle.RefusalReportInterval.TotalMilliseconds;
        throttle.ShouldLogRefusal(out string reminder).Should().BeTrue();
        reminder.Should().Contain("5000 more attempt(s) refused");
    }
}
