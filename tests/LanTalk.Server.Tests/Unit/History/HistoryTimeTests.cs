using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>History by time (IRC's timestamp= references and CHATHISTORY TARGETS): a time as an id, and the conversations active in a window.</summary>
[TestFixture]
public sealed class HistoryTimeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_time_becomes_the_first_id_stored_at_or_after_it_also_across_equal_times_and_gaps()
    {
        await using var h = new HistoryFixture(clock: new TestClock(T0));
        long[] ids = [.. await AtAsync(h, 0, 0, 10, 20, 20, 30)];
        long t0 = T0.ToUnixTimeMilliseconds();

        h.Store.FirstIdAtOrAfter(t0 - 1).Should().Be(ids[0]);
        h.Store.FirstIdAtOrAfter(t0).Should().Be(ids[0], "both messages of the first millisecond are at or after it");
        h.Store.FirstIdAtOrAfter(t0 + 1).Should().Be(ids[2]);
        h.Store.FirstIdAtOrAfter(t0 + 10).Should().Be(ids[2]);
        h.Store.FirstIdAtOrAfter(t0 + 11).Should().Be(ids[3]);
        h.Store.FirstIdAtOrAfter(t0 + 30).Should().Be(ids[5]);
        h.Store.FirstIdAtOrAfter(t0 + 31).Should().Be(ids[5] + 1, "nothing is that new: one past the newest");

        // A gap, as retention leaves: the search lands on the next id that exists.
        Delete(h, $"DELETE FROM messages WHERE id IN ({ids[2]}, {ids[3]})");
        h.Store.FirstIdAtOrAfter(t0 + 1).Should().Be(ids[4]);
    }

    [Test]
    public async Task With_nothing_stored_every_time_is_one_past_the_highest_id_ever_given()
    {
        await using var h = new HistoryFixture(clock: new TestClock(T0));
        h.Store.FirstIdAtOrAfter(0).Should().Be(1);

        long id = (await h.Store.AppendRoomAsync("lobby", "alice", "gone soon")).Id;
        Delete(h, "DELETE FROM messages");

        h.Store.FirstIdAtOrAfter(0).Should().Be(id + 1, "an id once given is never a bound below a later message");
    }

    [Test]
    public async Task The_conversations_of_a_window_are_those_whose_newest_message_lies_strictly_inside_it()
    {
        await using var h = new HistoryFixture(clock: new TestClock(T0));
        long t0 = T0.ToUnixTimeMilliseconds();
        await Room(h, 0, "dev", "alice");
        await Private(h, 10, "alice", "bob");
        await Room(h, 20, "ops", "carol");
        await Private(h, 30, "carol", "alice");
        await Private(h, 40, "bob", "carol");
        await Room(h, 50, "dev", "bob");

        string[] Window(long after, long before) =>
            [.. h.Store.NewestOfConversations("alice", ["dev", "ops", "lobby"], includePrivate: true, _ => 0, 0, t0 + after, t0 + before)
                .OrderBy(m => m.TimeMs).Select(m => $"{m.Room ?? m.Sender + ">" + m.Recipient}@{m.TimeMs - t0}")];

        Window(-1, 100).Should().Equal("alice>bob@10", "ops@20", "carol>alice@30", "dev@50");
        Window(10, 100).Should().Equal("ops@20", "carol>alice@30", "dev@50");
        Window(-1, 30).Should().Equal("alice>bob@10", "ops@20");
        Window(-1, 49).Should().NotContain(t => t.StartsWith("dev", StringComparison.Ordinal), "dev's newest message is later than the window");
        h.Store.NewestOfConversations("alice", ["dev"], includePrivate: false, _ => 0, 0, t0 - 1, t0 + 100).Select(m => m.Room).Should().Equal("dev");
        h.Store.NewestOfConversations("alice", ["dev"], includePrivate: true, _ => 0, sinceMs: t0 + 15, t0 - 1, t0 + 100)
            .Select(m => m.Room ?? m.Sender).Should().BeEquivalentTo(["dev", "carol"], "alice's account began after her message to bob");
        h.Store.NewestOfConversations("alice", ["dev"], includePrivate: false, _ => long.MaxValue, 0, t0 - 1, t0 + 100).Should().BeEmpty("a room's earlier generation is not its history");
    }

    private static void Delete(HistoryFixture h, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath}");
        connection.Open();
        // The delete trigger folds the text it removes from the index, as the server's own connection does.
        SearchFold.Register(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task<List<long>> AtAsync(HistoryFixture h, params int[] offsetsMs)
    {
        var ids = new List<long>();
        foreach (int offset in offsetsMs)
        {
            h.Clock.Now = T0.AddMilliseconds(offset);
            ids.Add((await h.Store.AppendRoomAsync("lobby", "alice", $"at {offset}")).Id);
        }

        return ids;
    }

    private static async Task Room(HistoryFixture h, int offsetMs, string room, string sender)
    {
        h.Clock.Now = T0.AddMilliseconds(offsetMs);
        (await h.Store.AppendRoomAsync(room, sender, "in " + room)).IsStored.Should().BeTrue();
    }

    private static async Task Private(HistoryFixture h, int offsetMs, string sender, string recipient)
    {
        h.Clock.Now = T0.AddMilliseconds(offsetMs);
        (await h.Store.AppendPrivateAsync(sender, recipient, "to " + recipient)).IsStored.Should().BeTrue();
    }
}
