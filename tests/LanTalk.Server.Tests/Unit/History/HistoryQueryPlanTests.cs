using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// The private catch-up reads a user's own private messages through an index, not every message since an id: on a
/// year's history (3.2 million messages) a rarely messaged user's catch-up scanned the table for 1.1-2.1 s, against
/// a 2 s read budget (a history-at-scale audit, 2026-12-07). SQLite's plan is the behaviour: it changes with the
/// query's exact expressions, which is how this breaks.
/// </summary>
[TestFixture]
public sealed class HistoryQueryPlanTests
{
    [TestCase(false, TestName = "The private catch-up reads both sides of the pair key by index")]
    [TestCase(true, TestName = "The private catch-up with conversation start times reads by index too")]
    public async Task The_private_catch_up_uses_the_private_indexes_and_scans_nothing(bool withPairSince)
    {
        await using var h = new HistoryFixture();
        using var connection = h.Store.OpenReader();
        using var command = connection.CreateCommand();
        Func<string, long>? pairSince = withPairSince ? _ => 0 : null;
        if (pairSince is not null)
        {
            connection.CreateFunction("pair_since", pairSince, isDeterministic: true);
        }

        command.CommandText = "EXPLAIN QUERY PLAN " + MessageStore.PrivateAfterSql(pairSince);
        foreach (var (name, value) in new (string, object)[] { ("$user", "bob"), ("$id", 1L), ("$upTo", 100L), ("$since", 0L), ("$limit", 50) })
        {
            command.Parameters.AddWithValue(name, value);
        }

        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        string all = string.Join(" | ", plan);
        all.Should().Contain("messages_private_first").And.Contain("messages_private_second");
        plan.Should().NotContain(step => step.StartsWith("SCAN", StringComparison.Ordinal), all);
        plan.Should().NotContain(step => step.Contains("rowid>?", StringComparison.Ordinal), "a range of ids is the whole history after it: " + all);
    }
}
