using System.Collections.Concurrent;
using System.Net;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit.Net;

/// <summary>The operator hears that logins are refused for a full pre-login budget, once per interval, and from where.</summary>
[TestFixture]
public sealed class PendingBudgetAlarmTests
{
    [Test]
    public void The_first_refusal_reports_the_limit_and_the_biggest_holders_and_the_next_ones_wait_for_the_interval()
    {
        var pending = new ConcurrentDictionary<AddressGroup, int>();
        pending[AddressGroup.Of(IPAddress.Parse("192.0.2.7"), [])] = 4;
        pending[AddressGroup.Of(IPAddress.Parse("192.0.2.9"), [])] = 1;
        pending[AddressGroup.Of(IPAddress.Parse("2001:db8:1:2::a"), [])] = 1;
        var clock = new SteppedClock();
        var alarm = new PendingBudgetAlarm(() => 64, top => [.. pending.OrderByDescending(p => p.Value).Take(top)], clock);

        string? first = alarm.Refused();

        first.Should().Contain("all 64 pre-login slots").And.Contain("1 connection(s) refused").And.Contain("192.0.2.7 (4), ").And.Contain("192.0.2.9 (1)")
            .And.Contain("2001:db8:1:2::/64 (1)", "an IPv6 address counts as its /64, and the report says so")
            .And.Contain("MaxPendingLogins");
        for (int i = 0; i < 99; i++)
        {
            alarm.Refused().Should().BeNull("one report per interval, however many refusals");
        }

        clock.Advance(PendingBudgetAlarm.Interval);
        alarm.Refused().Should().Contain("100 connection(s) refused since the last report");
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
