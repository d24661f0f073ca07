using LanTalk.Client.Connection;

namespace LanTalk.Client.Tests.Unit;

public sealed class ReconnectPolicyTests
{
    [Test]
    public void Default_retries_for_ever_doubling_from_1_s_up_to_60_s()
    {
        var policy = ReconnectPolicy.Default;
        policy.MaxTries.Should().BeNull("a server reboot or a long Wi-Fi drop must not leave the client exited");
        policy.Retries.Should().BeTrue();
        Enumerable.Range(1, 9).Select(n => policy.DelayBefore(n, random: 0).TotalSeconds).Should().Equal(1, 2, 4, 8, 16, 32, 60, 60, 60);
        policy.DelayBefore(10_000, random: 0).Should().Be(TimeSpan.FromSeconds(60), "no overflow after days of trying");
    }

    [Test]
    public void Jitter_only_shortens_the_wait_by_up_to_a_fifth()
    {
        var policy = ReconnectPolicy.Default;
        policy.DelayBefore(8, random: 0.999).TotalSeconds.Should().BeApproximately(48, 0.1);
        policy.DelayBefore(8, random: 0.5).TotalSeconds.Should().BeApproximately(54, 0.1);
    }

    [Test]
    public void The_cap_is_configurable()
    {
        var policy = ReconnectPolicy.Default with { MaxDelay = TimeSpan.FromSeconds(2) };
        Enumerable.Range(1, 4).Select(n => policy.DelayBefore(n, random: 0).TotalSeconds).Should().Equal(1, 2, 2, 2);
    }

    [Test]
    public void After_a_shutdown_it_tries_every_2_s_for_half_a_minute_then_doubles_again()
    {
        // A shutdown is most often a restart: doubling alone brought clients back 9-12 s after the server was up.
        var policy = ReconnectPolicy.Default;
        Enumerable.Range(1, 19).Select(n => policy.DelayBefore(n, random: 0, restarting: true).TotalSeconds)
            .Should().Equal(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 8, 16);
        policy.DelayBefore(3, random: 0.999, restarting: true).TotalSeconds.Should().BeApproximately(1.6, 0.01, "jittered as well, so clients spread out");
    }

    [Test]
    public void Never_makes_no_tries()
    {
        ReconnectPolicy.Never.MaxTries.Should().Be(0);
        ReconnectPolicy.Never.Retries.Should().BeFalse();
    }
}
