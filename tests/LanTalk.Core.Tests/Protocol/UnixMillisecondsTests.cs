using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>Any int64 wire time converts: a client must not drop its connection over one odd ServerTimeMs.</summary>
[TestFixture]
public sealed class UnixMillisecondsTests
{
    [TestCase(long.MaxValue)]
    [TestCase(253_402_300_800_000L)]
    [TestCase(long.MinValue)]
    [TestCase(-62_135_596_800_001L)]
    public void A_time_outside_the_years_1_to_9999_is_clamped_not_thrown(long ms)
    {
        var convert = () => UnixMilliseconds.ToTime(ms);

        convert.Should().NotThrow().Which.Should().Be(ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(UnixMilliseconds.Max) : DateTimeOffset.MinValue);
    }

    [Test]
    public void A_time_inside_the_range_is_exact() =>
        UnixMilliseconds.ToTime(1_700_000_000_000).Should().Be(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero));
}
