using System.Net;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// The registration limits: accounts created per address and in all within a sliding window (a security audit,
/// 2026-12-06, M2: one address created 25 accounts in 15 s).
/// </summary>
[TestFixture]
public sealed class RegistrationThrottleTests
{
    private static readonly TimeSpan s_hour = TimeSpan.FromHours(1);
    private static readonly IPAddress s_one = IPAddress.Parse("10.0.0.5");
    private static readonly IPAddress s_two = IPAddress.Parse("10.0.0.6");

    [Test]
    public void An_address_past_its_limit_is_refused_until_its_oldest_registration_leaves_the_window()
    {
        var throttle = new RegistrationThrottle(perAddress: 3, perServer: 100, s_hour);
        throttle.TryTake(s_one, now: 1_000).Should().BeNull();
        throttle.TryTake(s_one, now: 2_000).Should().BeNull();
        throttle.TryTake(s_one, now: 3_000).Should().BeNull();

        var refused = throttle.TryTake(s_one, now: 4_000);

        refused.Should().Be((TimeSpan.FromMilliseconds(1_000 + 3_600_000 - 4_000), false), "the oldest of the three frees a place an hour after it");
        throttle.TryTake(s_two, now: 4_000).Should().BeNull("another address has its own limit");
        throttle.TryTake(s_one, now: 1_000 + 3_600_000).Should().BeNull("the window slides");
    }

    [Test]
    public void The_server_wide_limit_caps_registrations_spread_over_many_addresses()
    {
        var throttle = new RegistrationThrottle(perAddress: 3, perServer: 2, s_hour);
        throttle.TryTake(s_one, now: 0).Should().BeNull();
        throttle.TryTake(s_two, now: 10).Should().BeNull();

        var refused = throttle.TryTake(IPAddress.Parse("10.0.0.7"), now: 20);

        refused.Should().NotBeNull();
        refused!.Value.ServerWide.Should().BeTrue();
        refused.Value.Wait.Should().Be(TimeSpan.FromMilliseconds(3_600_000 - 20));
    }

    [Test]
    public void A_place_given_back_because_no_account_came_of_it_is_free_again()
    {
        var throttle = new RegistrationThrottle(perAddress: 1, perServer: 1, s_hour);
        throttle.TryTake(s_one, now: 0).Should().BeNull();

        throttle.GiveBack(s_one);

        throttle.TryTake(s_one, now: 5).Should().BeNull("a taken name or a full disk does not spend the address's allowance");
        throttle.TryTake(s_two, now: 6).Should().NotBeNull("the server's one place is taken again");
    }
}
