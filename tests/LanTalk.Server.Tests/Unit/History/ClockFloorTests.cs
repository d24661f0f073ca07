using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A machine that boots with its clock in 2001 (a dead RTC battery) until NTP sets it: what the server stored
/// meanwhile must not look 25 years old once the clock is right (a clock audit, 2026-12-07: the first retention pass
/// after the restart removed it all).
/// </summary>
[TestFixture]
public sealed class ClockFloorTests
{
    [Test]
    public async Task Under_a_clock_before_the_version_was_made_messages_are_dated_from_then_and_survive_retention_once_the_clock_is_set()
    {
        var clock = new TestClock(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var h = new HistoryFixture(ServerSettings.Default with { HistoryDays = 365 }, clock);
        h.Store.DateNothingBefore(ClockFloor.Time);

        var stored = await h.Store.AppendRoomAsync("lobby", "alice", "sent while the clock said 2001");
        stored.TimeMs.Should().Be(ClockFloor.Time.ToUnixTimeMilliseconds(), "no message is dated before this version was made");

        // NTP sets the clock, and the operator restarts the server as the warning about the clock asked.
        clock.Now = ClockFloor.Time.AddDays(30);
        await h.ReopenAsync();
        h.Store.DateNothingBefore(ClockFloor.Time);
        await h.Store.PruneAsync();

        h.Store.LatestUpTo("lobby", stored.Id, 10).Messages.Should().ContainSingle(m => m.Id == stored.Id, "30 days old is inside HistoryDays");
        (await h.Store.AppendRoomAsync("lobby", "alice", "now")).TimeMs.Should().Be(clock.Now.ToUnixTimeMilliseconds(), "a right clock is used as it is");
    }

    [Test]
    public void A_clock_past_the_floor_is_taken_as_it_is_and_one_before_it_is_raised_to_it()
    {
        var later = ClockFloor.Time.AddHours(5);
        ClockFloor.AtLeast(later).Should().Be(later);
        ClockFloor.AtLeast(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero)).Should().Be(ClockFloor.Time);
    }
}
