using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// No single request reads history without bound: a search has at most 16 words, a one-letter prefix matches a whole
/// token, and every read of a request stops at the store's read budget with a StorageUnavailable that says so.
/// </summary>
[TestFixture]
public sealed class SearchLimitTests
{
    [Test]
    public void Words_without_a_token_character_are_dropped_before_they_are_counted()
    {
        var query = SearchQuery.Parse("zebra ( -- * 😀 \"deploy\"");

        query.Terms.Should().Equal("\"zebra\"", "\"\"\"deploy\"\"\"");
    }

    [TestCase("cr*", "\"cr\"*", TestName = "A prefix of two characters stays a prefix")]
    [TestCase("a*", "\"a\"", TestName = "A one-character prefix matches the whole token")]
    [TestCase("zebra-c*", "\"zebra-c\"", TestName = "The prefix counted is the last token's")]
    [TestCase("ab**", "\"ab*\"", TestName = "A star after a star is no prefix")]
    [TestCase("éa*", "\"éa\"*", TestName = "Characters are counted, not bytes")]
    [TestCase("日本*", "\" 日 本\"", TestName = "In text without spaces each letter is a whole token, never a prefix")]
    public void A_prefix_needs_two_characters_in_its_last_token(string word, string term)
    {
        SearchQuery.Parse(word).Terms.Should().Equal(term);
    }

    [Test]
    public async Task A_search_counts_older_matches_only_up_to_the_cap_and_still_pages_in_order()
    {
        await using var h = new HistoryFixture();
        int total = MessageStore.SearchCountCap + 120;
        await Task.WhenAll(Enumerable.Range(0, total).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"common word {i}")));

        var page = h.Store.SearchVisible("common", ["lobby"], "bob", long.MaxValue, 50);

        page.Messages.Select(m => m.Text).Should().Equal(Enumerable.Range(total - 50, 50).Select(i => $"common word {i}"), "the newest 50, oldest first");
        page.Remaining.Should().Be(MessageStore.SearchCountCap, "{0} older matches are counted as the cap", total - 50);

        var last = h.Store.SearchVisible("common", ["lobby"], "bob", 101, 50);
        last.Messages.Should().HaveCount(50);
        last.Remaining.Should().Be(50, "below the cap the count is exact");
    }

    [Test]
    public async Task A_search_of_17_words_is_refused_with_MessageTooLong_and_its_tag_without_reading()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "alpha beta");
        var bob = new CollectedOutput("bob", 1, 3);
        string query = string.Join(' ', Enumerable.Range(0, 17).Select(i => $"w{i}*")) + " ( --";

        await History(h).HandleSearch(bob, new HistoryRequestPacket(4, HistoryScope.Everything, Text: query), ["lobby"]);

        bob.Frames.Should().ContainSingle().Which.Packet.Should().Be(
            new ErrorPacket(ErrorCode.MessageTooLong, "a search may have at most 16 words; this one has 17", 4));
    }

    [Test]
    public async Task A_search_of_16_words_is_answered()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", string.Join(' ', Enumerable.Range(0, 16).Select(i => $"word{i}")));
        var bob = new CollectedOutput("bob", 1, 3);
        string query = string.Join(' ', Enumerable.Range(0, 16).Select(i => $"word{i}"));

        await History(h).HandleSearch(bob, new HistoryRequestPacket(4, HistoryScope.Everything, Text: query), ["lobby"]);

        bob.Messages.Should().ContainSingle();
        bob.Frames[^1].Packet.Should().Be(new HistoryEndPacket(4, 1, 0, 1, 1));
    }

    [Test]
    public async Task A_search_over_its_read_budget_is_stopped_with_StorageUnavailable_that_says_to_narrow_it()
    {
        await using var h = new HistoryFixture();
        await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"alpha{i} beta{i} gamma")));
        var bob = new CollectedOutput("bob", 1, 3);
        h.Store.ReadBudget = TimeSpan.Zero;

        await History(h).HandleSearch(bob, new HistoryRequestPacket(6, HistoryScope.Everything, Text: "al* be* gamma"), ["lobby"]);

        bob.Frames.Should().ContainSingle().Which.Packet.Should().Be(new ErrorPacket(ErrorCode.StorageUnavailable,
            "the search took longer than 0 s and was stopped; narrow it (fewer words, longer prefixes)", 6));
    }

    [Test]
    public async Task Paging_over_its_read_budget_is_stopped_and_the_next_read_with_time_left_is_answered()
    {
        // Enough rows that the read takes more than a few of SQLite's progress intervals.
        await using var h = new HistoryFixture(ServerSettings.Default with { MaxHistoryPage = 5000 });
        await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => h.Store.AppendRoomAsync("lobby", "alice", $"message {i}")));
        var bob = new CollectedOutput("bob", 1, 3);
        var history = History(h);
        h.Store.ReadBudget = TimeSpan.Zero;

        await history.HandleHistory(bob, "lobby", new HistoryRequestPacket(7, HistoryScope.Room, Limit: 2000), ["lobby"]);
        h.Store.ReadBudget = TimeSpan.FromMinutes(1);
        await history.HandleHistory(bob, "lobby", new HistoryRequestPacket(8, HistoryScope.Room, Limit: 2000), ["lobby"]);

        bob.Frames[0].Packet.Should().Be(new ErrorPacket(ErrorCode.StorageUnavailable, "reading history took longer than 0 s and was stopped", 7));
        bob.Frames[^1].Packet.Should().BeOfType<HistoryEndPacket>().Which.Remaining.Should().Be(1000,
            "the pooled connection keeps no stale deadline: the next read gets its own budget");
    }

    [Test]
    public async Task Reads_outside_a_request_such_as_retention_have_no_budget()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "kept");
        h.Store.ReadBudget = TimeSpan.Zero;

        var act = () => h.Store.Stats();

        act.Should().NotThrow();
        act().Messages.Should().Be(1);
    }

    [Test]
    public async Task Only_a_few_searches_run_at_once_and_one_more_is_refused_at_once_with_its_tag()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "alpha beta");
        int max = StoreRoomHistory.MaxConcurrentSearches;
        // Each search another user's: one user runs one at a time (the next test).
        var outputs = Enumerable.Range(0, max + 1).Select(i => new CollectedOutput($"user{i}", (ulong)i + 1, 3)).ToArray();
        StoreRoomHistory? history = null;
        int started = 0;
        // The room filter is read inside a running search: each one starts the next there, so max + 1 overlap.
        history = new StoreRoomHistory(h.Store, () => h.Settings, _ => [], _ =>
        {
            int next = ++started;
            if (next <= max)
            {
                history!.HandleSearch(outputs[next], new HistoryRequestPacket((uint)next + 1, HistoryScope.Everything, Text: "alpha"), ["lobby"]);
            }

            return 0;
        });

        await history.HandleSearch(outputs[0], new HistoryRequestPacket(1, HistoryScope.Everything, Text: "alpha"), ["lobby"]);
        var again = new CollectedOutput("bob", 99, 3);
        started = int.MaxValue - 1;
        await history.HandleSearch(again, new HistoryRequestPacket(7, HistoryScope.Everything, Text: "alpha"), ["lobby"]);

        outputs[max].Frames.Should().ContainSingle().Which.Packet.Should().Be(
            new ErrorPacket(ErrorCode.StorageUnavailable, StoreRoomHistory.BusySearchText, (uint)max + 1));
        outputs[..max].Should().OnlyContain(o => o.Frames.Any(f => f.Command == ChatCommand.Search), "the first searches are answered");
        again.Frames.Should().Contain(f => f.Command == ChatCommand.Search, "the count goes back down once they end");
    }

    [Test]
    public async Task A_user_runs_one_search_at_a_time_and_the_slots_left_stay_for_the_others()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "alpha beta");
        var first = new CollectedOutput("bob", 1, 3);
        var second = new CollectedOutput("BOB", 2, 3);
        var carol = new CollectedOutput("carol", 3, 3);
        StoreRoomHistory? history = null;
        bool started = false;
        // The room filter is read inside bob's running search: his second session's search and carol's start there.
        history = new StoreRoomHistory(h.Store, () => h.Settings, _ => [], _ =>
        {
            if (!started)
            {
                started = true;
                history!.HandleSearch(second, new HistoryRequestPacket(2, HistoryScope.Everything, Text: "alpha"), ["lobby"]);
                history!.HandleSearch(carol, new HistoryRequestPacket(3, HistoryScope.Everything, Text: "alpha"), ["lobby"]);
            }

            return 0;
        });

        await history.HandleSearch(first, new HistoryRequestPacket(1, HistoryScope.Everything, Text: "alpha"), ["lobby"]);
        var again = new CollectedOutput("bob", 4, 3);
        await history.HandleSearch(again, new HistoryRequestPacket(4, HistoryScope.Everything, Text: "alpha"), ["lobby"]);

        second.Frames.Should().ContainSingle().Which.Packet.Should().Be(
            new ErrorPacket(ErrorCode.StorageUnavailable, StoreRoomHistory.OwnSearchText, 2), "bob's sessions share his one search");
        carol.Frames.Should().Contain(f => f.Command == ChatCommand.Search, "a slot was left for carol");
        first.Frames.Should().Contain(f => f.Command == ChatCommand.Search);
        again.Frames.Should().Contain(f => f.Command == ChatCommand.Search, "bob may search again once his search has ended");
    }

    private static StoreRoomHistory History(HistoryFixture h) => new(h.Store, () => h.Settings, _ => []);
}
