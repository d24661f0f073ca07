using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A search reads only the index entries of the searcher's rooms and conversations: a common word elsewhere in the
/// history costs it nothing. On a year's history a user in one small room waited 1.7 s for "/search the a", near the
/// 2 s read budget (a history-at-scale audit, 2026-12-07). The work is counted in SQLite's virtual-machine steps
/// (ReadBudget's checks), which do not vary from run to run as a time would.
/// </summary>
[TestFixture]
public sealed class SearchScopeTests
{
    [Test]
    public async Task A_common_word_in_rooms_the_user_is_not_in_costs_the_search_nothing()
    {
        await using var h = new HistoryFixture();
        // The user's room first, so its matches are the oldest: the page and the count must pass all the others.
        await h.Store.WriteAsync(w =>
        {
            for (int i = 0; i < 20; i++)
            {
                w.InsertMessage("small", "bob", null, $"the common word {i}", MessageKind.Normal);
            }

            for (int i = 0; i < 20_000; i++)
            {
                w.InsertMessage("big", "alice", null, $"the common word elsewhere {i}", MessageKind.Normal);
            }

            w.InsertMessage(null, "alice", "erin", "the common word in a private message of others", MessageKind.Normal);
            return 0;
        });
        h.Store.SearchVisible("warm up the index", ["small"], "carol", long.MaxValue, 10);

        long before = ReadBudget.ChecksOnThisThread;
        var page = h.Store.SearchVisible("common", ["small"], "carol", long.MaxValue, 10);
        long checks = ReadBudget.ChecksOnThisThread - before;

        page.Messages.Select(m => m.Text).Should().Equal(Enumerable.Range(10, 10).Select(i => $"the common word {i}"));
        page.Remaining.Should().Be(10);
        checks.Should().BeLessThan(20, "about 20 matches of the user's room are read, not 20,000 of a room they are not in");
    }

    [Test]
    public async Task A_search_finds_the_users_own_private_messages_both_ways_and_no_one_elses()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendPrivateAsync("carol", "dave", "secret plan one", queueForDelivery: true);
        await h.Store.AppendPrivateAsync("dave", "carol", "secret plan two", queueForDelivery: true);
        await h.Store.AppendPrivateAsync("erin", "dave", "secret plan three", queueForDelivery: true);

        h.Store.SearchVisible("secret", [], "carol", long.MaxValue, 10).Messages.Select(m => m.Text)
            .Should().Equal("secret plan one", "secret plan two");
        h.Store.SearchVisible("secret", [], "dave", long.MaxValue, 10).Messages.Should().HaveCount(3);
    }
}
