using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.History;
using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>The history seam on a real history.db: what a session is sent for a join, History, Search and at login.</summary>
[TestFixture]
public sealed class StoreRoomHistoryTests
{
    private static readonly ServerSettings s_settings = ServerSettings.Default with { HistoryOnJoin = 5, MaxReplay = 8, MaxHistoryPage = 10 };

    private readonly List<CollectedOutput> _online = [];

    // NUnit runs the tests of a fixture on one instance: each test starts with nobody online.
    [SetUp]
    public void NobodyOnline() => _online.Clear();

    [Test]
    public async Task A_join_replays_the_last_HistoryOnJoin_messages_up_to_its_mark_then_HistoryEnd()
    {
        await using var h = new HistoryFixture(s_settings);
        var history = History(h);
        var ids = await AppendAsync(h, "Lobby", 12);
        var bob = Session("bob", 1);

        await history.ReplayOnJoin(bob, "Lobby", ReplayStart.Recent, (ulong)ids[9], tag: 7);

        bob.Messages.Select(m => (long)m.MessageId).Should().Equal(ids[5..10], "the 5 newest up to the mark; ids 11 and 12 come live");
        bob.Messages.Should().OnlyContain(m => m.Flags == MessageMarks.History && m.Tag == 0 && m.From == "alice");
        var stored = h.Store.Find(ids[5])!;
        bob.Messages[0].ServerTimeMs.Should().Be(stored.TimeMs, "the original time");
        bob.Frames.Take(5).Should().OnlyContain(f => f.Command == ChatCommand.PublicMessage && f.Target == "Lobby");
        var end = bob.Frames[^1];
        end.Command.Should().Be(ChatCommand.JoinRoom);
        end.Target.Should().Be("Lobby");
        end.Packet.Should().Be(new HistoryEndPacket(7, 5, 5, (ulong)ids[5], (ulong)ids[9]));
    }

    [Test]
    public async Task After_a_restart_a_join_mark_is_never_below_what_was_committed_before_the_server_started()
    {
        await using var h = new HistoryFixture(s_settings);
        var ids = await AppendAsync(h, "lobby", 3);
        var history = History(h);
        var bob = Session("bob", 1);

        // A room's mark counts only what this server fanned out: 0 after a restart.
        await history.ReplayOnJoin(bob, "lobby", ReplayStart.Recent, 0, tag: 1);

        bob.Messages.Select(m => (long)m.MessageId).Should().Equal(ids);
    }

    [Test]
    public async Task A_join_with_SinceId_catches_up_at_most_MaxReplay_and_says_how_many_more()
    {
        await using var h = new HistoryFixture(s_settings);
        var ids = await AppendAsync(h, "lobby", 20);
        var bob = Session("bob", 1);

        await History(h).ReplayOnJoin(bob, "lobby", ReplayStart.Of(new RoomRequestPacket(3, SinceId: (ulong)ids[2])), (ulong)ids[^1], tag: 3);

        bob.Messages.Select(m => (long)m.MessageId).Should().Equal(ids[3..11]);
        bob.Frames[^1].Packet.Should().Be(new HistoryEndPacket(3, 8, 9, (ulong)ids[3], (ulong)ids[10]));
    }

    [Test]
    public async Task A_join_with_the_CatchUp_bit_and_SinceId_0_catches_up_from_the_room_s_first_message_not_its_latest()
    {
        await using var h = new HistoryFixture(s_settings);
        var ids = await AppendAsync(h, "lobby", 20);
        var bob = Session("bob", 1);

        // A session that saw the room empty holds no id of it: everything the room holds now was missed.
        await History(h).ReplayOnJoin(bob, "lobby", ReplayStart.Of(new RoomRequestPacket(3, RoomModes.CatchUp)), (ulong)ids[^1], tag: 3);

        bob.Messages.Select(m => (long)m.MessageId).Should().Equal(ids[0..8], "the oldest MaxReplay, as any catch-up");
        bob.Frames[^1].Packet.Should().Be(new HistoryEndPacket(3, 8, 12, (ulong)ids[0], (ulong)ids[7]));
    }

    [Test]
    public async Task A_join_of_an_empty_room_still_ends_with_HistoryEnd()
    {
        await using var h = new HistoryFixture(s_settings);
        var bob = Session("bob", 1);

        await History(h).ReplayOnJoin(bob, "new", ReplayStart.Recent, (ulong)h.Store.CommittedId, tag: 1);

        bob.Frames.Should().ContainSingle().Which.Packet.Should().Be(new HistoryEndPacket(1, 0, 0, 0, 0));
    }

    [Test]
    public async Task History_pages_back_through_a_room_capped_at_MaxHistoryPage_and_refuses_a_room_the_user_is_not_in()
    {
        await using var h = new HistoryFixture(s_settings);
        var ids = await AppendAsync(h, "lobby", 25);
        var bob = Session("bob", 1);
        var history = History(h);

        await history.HandleHistory(bob, "LOBBY", new HistoryRequestPacket(4, HistoryScope.Room, BeforeId: (ulong)ids[20], Limit: 500), ["lobby"]);
        await history.HandleHistory(bob, "secret", new HistoryRequestPacket(5, HistoryScope.Room), ["lobby"]);

        bob.Messages.Select(m => (long)m.MessageId).Should().Equal(ids[10..20], "capped at MaxHistoryPage (10)");
        bob.Frames[10].Command.Should().Be(ChatCommand.History);
        bob.Frames[10].Packet.Should().Be(new HistoryEndPacket(4, 10, 10, (ulong)ids[10], (ulong)ids[19]));
        var refused = bob.Frames[^1].Packet.Should().BeOfType<ErrorPacket>().Subject;
        refused.Code.Should().Be(ErrorCode.NotInRoom);
        refused.Tag.Should().Be(5u);
    }

    [Test]
    public async Task History_of_a_private_conversation_names_the_other_user_as_target_in_the_stored_spelling()
    {
        await using var h = new HistoryFixture(s_settings);
        await h.Store.AppendPrivateAsync("Alice", "bob", "to bob");
        await h.Store.AppendPrivateAsync("bob", "Alice", "to alice");
        await h.Store.AppendPrivateAsync("carol", "bob", "not in this conversation");
        var bob = Session("bob", 1);

        // The request may spell the name in any case; the answer uses the account's own spelling, as live messages do.
        await History(h).HandleHistory(bob, "ALICE", new HistoryRequestPacket(9, HistoryScope.Private), []);

        bob.Frames.Should().OnlyContain(f => f.Target == "Alice");
        bob.Frames.Take(2).Should().OnlyContain(f => f.Command == ChatCommand.PrivateMessage);
        bob.Messages.Select(m => (m.From, m.Text)).Should().Equal(("Alice", "to bob"), ("bob", "to alice"));
        bob.Frames[^1].Packet.Should().BeOfType<HistoryEndPacket>().Which.Count.Should().Be(2);
    }

    [Test]
    public async Task History_with_the_search_scope_or_without_a_conversation_partner_is_an_empty_answer()
    {
        await using var h = new HistoryFixture(s_settings);
        await h.Store.AppendRoomAsync("lobby", "alice", "there is history");
        var bob = Session("bob", 1);
        var history = History(h);

        await history.HandleHistory(bob, "lobby", new HistoryRequestPacket(1, HistoryScope.Everything), ["lobby"]);
        await history.HandleHistory(bob, string.Empty, new HistoryRequestPacket(2, HistoryScope.Private), ["lobby"]);

        bob.Frames.Select(f => f.Packet).Should().Equal(new HistoryEndPacket(1, 0, 0, 0, 0), new HistoryEndPacket(2, 0, 0, 0, 0));
    }

    [Test]
    public async Task Search_covers_the_users_rooms_and_own_private_messages_and_ends_with_Search()
    {
        await using var h = new HistoryFixture(s_settings);
        await h.Store.AppendRoomAsync("Lobby", "alice", "the deploy is done");
        await h.Store.AppendRoomAsync("ops", "alice", "deploy secrets");
        await h.Store.AppendPrivateAsync("alice", "bob", "deploy for bob");
        await h.Store.AppendPrivateAsync("alice", "carol", "deploy for carol");
        var bob = Session("bob", 1);

        await History(h).HandleSearch(bob, new HistoryRequestPacket(2, HistoryScope.Everything, Text: "deploy"), ["Lobby"]);

        bob.Messages.Select(m => m.Text).Should().Equal("the deploy is done", "deploy for bob");
        bob.Frames[0].Target.Should().Be("Lobby", "the room as the user knows it");
        bob.Frames[1].Target.Should().Be("alice", "a private message names the other user");
        bob.Frames[^1].Command.Should().Be(ChatCommand.Search);
        bob.Frames[^1].Packet.Should().BeOfType<HistoryEndPacket>().Which.Tag.Should().Be(2u);
    }

    [Test]
    public async Task Stored_messages_go_to_every_session_in_order_once_and_online_senders_get_receipts()
    {
        await using var h = new HistoryFixture(s_settings);
        var first = await h.Store.AppendPrivateAsync("alice", "bob", "one", queueForDelivery: true);
        var second = await h.Store.AppendPrivateAsync("carol", "bob", "two", MessageKind.Action, queueForDelivery: true);
        var alice = Session("alice", 10);
        var bobDesk = Session("bob", 2);
        var bobOld = Session("bob", 3, version: 3);
        var history = History(h);

        await history.DeliverOffline(bobDesk);

        foreach (var session in new[] { bobDesk, bobOld })
        {
            session.Messages.Select(m => ((long)m.MessageId, m.From, m.Text, m.Kind, m.Flags)).Should().Equal(
                (first.Id, "alice", "one", ChatMessageKind.Text, MessageMarks.Offline),
                (second.Id, "carol", "two", ChatMessageKind.Action, MessageMarks.Offline));
            session.Messages[0].ServerTimeMs.Should().Be(first.TimeMs);
            session.Frames.Should().OnlyContain(f => f.Command == ChatCommand.PrivateMessage && f.Target == "bob");
        }

        var receipt = alice.Frames.Should().ContainSingle().Subject;
        receipt.Command.Should().Be(ChatCommand.Receipt);
        receipt.Packet.Should().BeOfType<ReceiptPacket>().Which.MessageId.Should().Be((ulong)first.Id);
        h.Store.PendingFor("bob").Should().BeEmpty();
        h.Store.UntoldReceiptsFor("alice", 10).Should().BeEmpty("alice was told");
        h.Store.UntoldReceiptsFor("carol", 10).Select(r => r.MessageId).Should().Equal(second.Id);

        bobDesk.Clear();
        await history.DeliverOffline(bobDesk);
        bobDesk.Frames.Should().BeEmpty("delivered once");

        var carolV2 = Session("carol", 19, version: 2);
        await history.DeliverOffline(carolV2);
        carolV2.Frames.Should().BeEmpty("a v2 session cannot receive a Receipt; it waits for a v3 login");

        var carol = Session("carol", 20);
        await history.DeliverOffline(carol);
        carol.Frames.Should().ContainSingle().Which.Packet.Should().BeOfType<ReceiptPacket>().Which.Should().Match<ReceiptPacket>(r => r.MessageId == (ulong)second.Id && r.Recipient == "bob");
        h.Store.UntoldReceiptsFor("carol", 10).Should().BeEmpty();
    }

    [Test]
    public async Task Two_sessions_logging_in_at_once_deliver_a_large_queue_exactly_once_in_order()
    {
        await using var h = new HistoryFixture(s_settings);
        var ids = new List<long>();
        for (int i = 0; i < StoreRoomHistory.OfflineBatch + 50; i++)
        {
            ids.Add((await h.Store.AppendPrivateAsync("alice", "bob", $"m{i}", queueForDelivery: true)).Id);
        }

        var one = Session("bob", 1);
        var two = Session("bob", 2);
        var history = History(h);

        await Task.WhenAll(Task.Run(() => history.DeliverOffline(one)), Task.Run(() => history.DeliverOffline(two)));

        one.Messages.Select(m => (long)m.MessageId).Should().Equal(ids);
        two.Messages.Select(m => (long)m.MessageId).Should().Equal(ids);
    }

    [Test]
    public async Task A_device_logging_in_within_30_s_of_two_deliveries_gets_the_messages_of_both_in_order()
    {
        // A second delivery within the window replaced the first one's record, so a third device got only the
        // second's messages (race audit, 2026-12-07: m1 lost for that device).
        await using var h = new HistoryFixture(s_settings);
        var first = await h.Store.AppendPrivateAsync("alice", "bob", "m1", queueForDelivery: true);
        var history = History(h);
        var laptop = Session("bob", 1);
        await history.DeliverOffline(laptop);
        _online.Remove(laptop);
        var second = await h.Store.AppendPrivateAsync("alice", "bob", "m2", queueForDelivery: true);
        var phone = Session("bob", 2);
        await history.DeliverOffline(phone);
        _online.Remove(phone);

        var desk = Session("bob", 3);
        await history.DeliverOffline(desk);

        phone.Messages.Select(m => (long)m.MessageId).Should().Equal(first.Id, second.Id);
        desk.Messages.Select(m => (long)m.MessageId).Should().Equal([first.Id, second.Id], "both deliveries were within 30 s and reached neither of them");
    }

    [Test]
    public async Task A_delivery_that_reaches_a_session_still_logging_in_gives_it_the_earlier_delivery_first()
    {
        // A message stored as its recipient logged in is delivered at its commit, through the user's first session,
        // to every session, one still logging in too. That one was then counted as reached and got nothing of the
        // login delivery before it (race audit, 2026-12-07: 108 of 109 stored messages missing on one device).
        await using var h = new HistoryFixture(s_settings);
        var ids = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            ids.Add((await h.Store.AppendPrivateAsync("alice", "bob", $"m{i}", queueForDelivery: true)).Id);
        }

        var history = History(h);
        var laptop = Session("bob", 1);
        await history.DeliverOffline(laptop);
        var phone = Session("bob", 2);
        ids.Add((await h.Store.AppendPrivateAsync("alice", "bob", "late", queueForDelivery: true)).Id);
        await history.DeliverOffline(laptop);

        await history.DeliverOffline(phone);

        laptop.Messages.Select(m => (long)m.MessageId).Should().Equal(ids);
        phone.Messages.Select(m => (long)m.MessageId).Should().Equal(ids, "every stored message once, oldest first");
    }

    [Test]
    public async Task A_closed_store_answers_StorageUnavailable_with_the_tag_and_delivers_the_queue_later()
    {
        await using var h = new HistoryFixture(s_settings);
        await h.Store.AppendPrivateAsync("alice", "bob", "waiting", queueForDelivery: true);
        var bob = Session("bob", 1);
        var history = History(h);
        await h.Store.DisposeAsync();

        await history.DeliverOffline(bob);

        var error = bob.Frames[^1].Packet.Should().BeOfType<ErrorPacket>().Subject;
        error.Code.Should().Be(ErrorCode.StorageUnavailable);
        var store = await h.ReopenAsync();
        store.PendingFor("bob").Should().ContainSingle("not marked delivered, so it comes again at the next login");
    }

    private StoreRoomHistory History(HistoryFixture h) =>
        new(h.Store, () => h.Settings, user => _online.Where(s => string.Equals(s.UserName, user, StringComparison.OrdinalIgnoreCase)).ToList<ISessionOutput>());

    private CollectedOutput Session(string user, ulong id, ushort version = 3)
    {
        var session = new CollectedOutput(user, id, version);
        _online.Add(session);
        return session;
    }

    private static async Task<long[]> AppendAsync(HistoryFixture h, string room, int count)
    {
        var ids = new long[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = (await h.Store.AppendRoomAsync(room, "alice", $"{room} {i}")).Id;
        }

        return ids;
    }
}
