using LanTalk.Client.Connection;

namespace LanTalk.Client.Tests.Unit;

public sealed class ReconnectPolicyTests
{
    [Test]
    public void Default_backs_off_1_2_4_8_16_seconds_for_at_most_8_tries()
    {
        ReconnectPolicy.Default.MaxTries.Should().Be(8);
        ReconnectPolicy.Default.Delays.Select(d => d.TotalSeconds).Should().Equal(1, 2, 4, 8, 16, 16, 16, 16);
    }

    [Test]
    public void Never_makes_no_tries()
    {
        ReconnectPolicy.Never.MaxTries.Should().Be(0);
    }
}
