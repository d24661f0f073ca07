using LanTalk.Client.Chat;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

/// <summary>What a catch-up shows of a room, with the server's History answers played by a fake.</summary>
public sealed class CatchUpTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static ChatMessage Message(ulong id) => new(id, Noon, "bob", null, 0, $"m{id}") { Room = "lobby", Flags = MessageMarks.History };

    private static List<ChatMessage> Range(ulong first, ulong last) => [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => Message((ulong)i))];

    /// <summary>A room whose messages have ids 1 to <paramref name="newest"/>, answering History as PROTOCOL.md says.</summary>
    private static CatchUp.Fetch Room(ulong newest, List<(ulong After, ulong Before, int Limit)> asked) => (after, before, limit) =>
    {
        asked.Add((after, before, limit));
        ulong top = before == 0 ? newest + 1 : before;
        var page = after > 0
            ? Range(after + 1, Math.Min(top - 1, after + (ulong)limit))
            : Range(top > (ulong)limit ? top - (ulong)limit : 1, top - 1);
        long remaining = after > 0 ? (long)(top - 1 - page[^1].Id) : (long)page[0].Id - 1;
        return Task.FromResult(new HistoryPage(page, new HistoryEndPacket(1, page.Count, remaining, page[0].Id, page[^1].Id)));
    };

    [TestCase(1, 200)]
    [TestCase(5, 200)]
    [TestCase(10, 100)]
    [TestCase(50, 20)]
    [TestCase(500, 20)]
    public void The_budget_is_shared_by_the_rooms_within_a_floor_and_a_page(int rooms, int perRoom) =>
        CatchUp.PerRoom(CatchUp.Budget, rooms).Should().Be(perRoom);

    // A start in up to 20 rooms shows all 50 a join replays; 200 rooms print about 1,000 lines, not 10,000.
    [TestCase(1, 1000)]
    [TestCase(20, 50)]
    [TestCase(61, 16)]
    [TestCase(200, 5)]
    [TestCase(1000, 5)]
    public void A_start_shares_the_budget_by_the_rooms_with_a_smaller_floor_and_no_page_cap(int rooms, int perRoom) =>
        CatchUp.StartPerRoom(CatchUp.Budget, rooms).Should().Be(perRoom);

    [Test]
    public void A_start_shows_the_newest_of_a_rooms_replay_and_counts_the_cut_ones_with_the_older_ones()
    {
        var view = CatchUp.Recent(Range(51, 100), 50, new HistoryEndPacket(1, 50, 7, 51, 100), perRoom: 16);
        view.Shown.Select(m => m.Id).Should().Equal(Enumerable.Range(85, 16).Select(i => (ulong)i));
        view.Hidden.Should().Be(34 + 7);
    }

    [Test]
    public async Task A_replay_cut_at_MaxReplay_gives_way_to_the_newest_page_and_the_gap_is_counted_with_one_more_request()
    {
        // Seen up to 100; 3000 missed (101..3100); the replay brought the oldest 500 (101..600), Remaining 2500.
        var asked = new List<(ulong, ulong, int)>();
        var replay = Range(101, 600);
        var view = await CatchUp.ViewAsync(replay[^ReplayTail.Capacity..], 500, new HistoryEndPacket(1, 500, 2500, 101, 600), since: 100, perRoom: 20, Room(3100, asked));

        view.Shown.Select(m => m.Id).Should().Equal(Enumerable.Range(3081, 20).Select(i => (ulong)i), "the newest 20, oldest first");
        view.Hidden.Should().Be(2980, "every missed message before them");
        asked.Should().Equal([(0UL, 0UL, 20), (600UL, 3081UL, 1)], "the newest page, then a count of what lies between the replay and it");
    }

    [Test]
    public async Task When_the_newest_page_reaches_into_the_replay_nothing_is_left_between()
    {
        var asked = new List<(ulong, ulong, int)>();
        var view = await CatchUp.ViewAsync(Range(101, 105), 5, new HistoryEndPacket(1, 5, 25, 101, 105), since: 100, perRoom: 200, Room(130, asked));

        view.Shown.Select(m => m.Id).Should().Equal(Enumerable.Range(101, 30).Select(i => (ulong)i));
        view.Hidden.Should().Be(0);
        asked.Should().HaveCount(1);
    }

    [Test]
    public async Task A_whole_replay_shows_its_newest_share_and_asks_nothing()
    {
        var asked = new List<(ulong, ulong, int)>();
        var view = await CatchUp.ViewAsync(Range(101, 150), 50, new HistoryEndPacket(1, 50, 0, 101, 150), since: 100, perRoom: 20, Room(150, asked));

        view.Shown.Select(m => m.Id).Should().Equal(Enumerable.Range(131, 20).Select(i => (ulong)i));
        view.Hidden.Should().Be(30);
        asked.Should().BeEmpty();
    }

    [Test]
    public void A_replay_tail_keeps_only_a_page_however_long_the_replay()
    {
        var tail = new ReplayTail();
        foreach (var message in Range(1, 500))
        {
            tail.Add(message);
        }

        tail.Count.Should().Be(500);
        tail.Newest.Select(m => m.Id).Should().Equal(Enumerable.Range(301, 200).Select(i => (ulong)i));
    }
}
