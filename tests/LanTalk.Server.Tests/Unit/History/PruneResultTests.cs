using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>The retention log line names only the rules in force: it said "older than 0 days" with HistoryDays 0 (keep for ever).</summary>
public sealed class PruneResultTests
{
    [Test]
    public void With_both_rules_in_force_it_names_both()
    {
        new PruneResult(3, 4, 5).Describe(historyDays: 30, maxPerRoom: 100).Should()
            .Be("3 message(s) older than 30 days, 4 beyond 100 per room, 5 expired offline message(s)");
    }

    [Test]
    public void With_HistoryDays_0_it_names_no_age()
    {
        new PruneResult(0, 4, 0).Describe(historyDays: 0, maxPerRoom: 3).Should().Be("4 beyond 3 per room, 0 expired offline message(s)");
    }

    [Test]
    public void With_no_room_cap_it_names_none_and_one_day_is_singular()
    {
        new PruneResult(2, 0, 1).Describe(historyDays: 1, maxPerRoom: 0).Should().Be("2 message(s) older than 1 day, 1 expired offline message(s)");
    }
}
