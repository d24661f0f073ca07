using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>Private messages stored for offline users: order, delivery, receipts, the cap and expiry.</summary>
[TestFixture]
public sealed class OfflineQueueTests
{
    [Test]
    public async Task Stored_messages_wait_in_order_until_marked_delivered_and_then_have_receipts()
    {
        await using var h = new HistoryFixture();
        var first = await h.Store.AppendPrivateAsync("alice", "Bob", "one", queueForDelivery: true);
        var second = await h.Store.AppendPrivateAsync("carol", "bob", "two", MessageKind.Action, queueForDelivery: true);
        await h.Store.AppendPrivateAsync("alice", "dave", "not for bob", queueForDelivery: true);

        first.Status.Should().Be(AppendStatus.StoredForDelivery);
        var pending = h.Store.PendingFor("BOB");
        pending.Select(m => (m.Id, m.Sender, m.Text, m.Kind)).Should().Equal((first.Id, "alice", "one", MessageKind.Normal), (second.Id, "carol", "two", MessageKind.Action));
        pending[0].TimeMs.Should().Be(first.TimeMs, "delivery carries the original time");

        h.Clock.Now = h.Clock.Now.AddMinutes(3);
        var receipts = await h.Store.MarkDeliveredAsync("bob", [first.Id, second.Id, 9999]);

        receipts.Select(r => (r.MessageId, r.Sender, r.Recipient)).Should().Equal((first.Id, "alice", "bob"), (second.Id, "carol", "bob"));
        receipts[0].DeliveredMs.Should().Be(h.Clock.Now.ToUnixTimeMilliseconds());
        h.Store.PendingFor("bob").Should().BeEmpty();
        (await h.Store.MarkDeliveredAsync("bob", [first.Id])).Should().BeEmpty("a second delivery mark changes nothing");
        h.Store.Receipt(first.Id)!.Sender.Should().Be("alice");
        h.Store.ReceiptsFor("Alice", 0, 10).Select(r => r.MessageId).Should().Equal(first.Id);
        h.Store.ReceiptsFor("alice", first.Id, 10).Should().BeEmpty();
        h.Store.PendingFor("dave").Should().ContainSingle();
    }

    [Test]
    public async Task Marking_another_users_message_delivered_does_nothing()
    {
        await using var h = new HistoryFixture();
        var forDave = await h.Store.AppendPrivateAsync("alice", "dave", "hi dave", queueForDelivery: true);

        (await h.Store.MarkDeliveredAsync("bob", [forDave.Id])).Should().BeEmpty();
        h.Store.PendingFor("dave").Should().ContainSingle();
    }

    [Test]
    public async Task A_full_queue_refuses_with_TooManyStored_until_delivery_makes_room_also_after_a_restart()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { OfflineMessagesPerUser = 3 });
        var stored = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            stored.Add((await h.Store.AppendPrivateAsync("alice", "bob", $"m{i}", queueForDelivery: true)).Id);
        }

        var refused = await h.Store.AppendPrivateAsync("alice", "bob", "one too many", queueForDelivery: true);
        refused.Status.Should().Be(AppendStatus.TooManyStored);
        refused.Id.Should().Be(0);
        (await h.Store.AppendPrivateAsync("alice", "carol", "others are not affected", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);

        var store = await h.ReopenAsync();
        (await store.AppendPrivateAsync("alice", "Bob", "still full after a restart", queueForDelivery: true)).Status.Should().Be(AppendStatus.TooManyStored);
        await store.MarkDeliveredAsync("bob", [stored[0]]);
        (await store.AppendPrivateAsync("alice", "bob", "room again", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);
        store.PendingFor("bob").Select(m => m.Text).Should().Equal("m1", "m2", "room again");
    }

    [Test]
    public async Task One_sender_may_fill_only_its_share_of_a_queue_and_others_still_get_through_also_after_a_restart()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { OfflineMessagesPerUser = 5, OfflineMessagesPerSender = 2 });
        var fromAlice = new List<long>();
        for (int i = 0; i < 2; i++)
        {
            fromAlice.Add((await h.Store.AppendPrivateAsync("alice", "bob", $"a{i}", queueForDelivery: true)).Id);
        }

        var refused = await h.Store.AppendPrivateAsync("Alice", "bob", "a third", queueForDelivery: true);
        refused.Status.Should().Be(AppendStatus.TooManyStoredFromSender, "alice's share of bob's queue is full, whatever the case of her name");
        refused.Id.Should().Be(0);
        (await h.Store.AppendPrivateAsync("carol", "bob", "c0", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery, "carol has a share of her own");
        (await h.Store.AppendPrivateAsync("alice", "dave", "to someone else", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery, "the share is per recipient");

        var store = await h.ReopenAsync();
        (await store.AppendPrivateAsync("alice", "bob", "still full after a restart", queueForDelivery: true)).Status.Should().Be(AppendStatus.TooManyStoredFromSender);
        (await store.AppendPrivateAsync("carol", "bob", "c1", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);
        (await store.AppendPrivateAsync("erin", "bob", "e0", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);
        (await store.AppendPrivateAsync("erin", "bob", "e1", queueForDelivery: true)).Status.Should().Be(AppendStatus.TooManyStored, "bob's queue holds 5: the user cap comes first");
        await store.MarkDeliveredAsync("bob", [fromAlice[0]]);
        (await store.AppendPrivateAsync("alice", "bob", "room again", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);
    }

    [Test]
    public async Task A_queue_forgotten_with_its_removed_account_counts_nothing_against_the_cap()
    {
        // A removed account's queue goes with it; a new account of the name was refused TooManyStored with an empty
        // queue until a restart, because the writer's count was left as it was (a soak audit, 2026-12-06).
        await using var h = new HistoryFixture(ServerSettings.Default with { OfflineMessagesPerUser = 2, OfflineMessagesPerSender = 2 });
        await h.Store.AppendPrivateAsync("alice", "bob", "m0", queueForDelivery: true);
        await h.Store.AppendPrivateAsync("alice", "bob", "m1", queueForDelivery: true);
        (await h.Store.AppendPrivateAsync("carol", "bob", "full", queueForDelivery: true)).Status.Should().Be(AppendStatus.TooManyStored);

        (await h.Store.ForgetPendingForAsync("bob")).Should().Be(2);

        (await h.Store.AppendPrivateAsync("alice", "bob", "to the new bob", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery, "the queue is empty");
        (await h.Store.AppendPrivateAsync("alice", "bob", "and again", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery, "alice's share is empty too");
    }

    [Test]
    public async Task A_removed_senders_messages_forgotten_from_a_queue_free_their_room_in_it()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { OfflineMessagesPerUser = 2, OfflineMessagesPerSender = 2 });
        var old = (await h.Store.AppendPrivateAsync("alice", "bob", "from the old alice", queueForDelivery: true)).Id;
        await h.Store.AppendPrivateAsync("alice", "bob", "again", queueForDelivery: true);

        (await h.Store.ForgetPendingAsync("bob", [old])).Should().Be(1);

        (await h.Store.AppendPrivateAsync("alice", "bob", "fits", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);
    }

    [Test]
    public async Task Undelivered_messages_expire_after_OfflineMessageDays()
    {
        await using var h = new HistoryFixture(ServerSettings.Default with { OfflineMessageDays = 2, OfflineMessagesPerUser = 2 });
        await h.Store.AppendPrivateAsync("alice", "bob", "old", queueForDelivery: true);
        h.Clock.Now = h.Clock.Now.AddDays(1);
        await h.Store.AppendPrivateAsync("alice", "bob", "newer", queueForDelivery: true);

        h.Clock.Now = h.Clock.Now.AddDays(1).AddMinutes(1);

        h.Store.PendingFor("bob").Select(m => m.Text).Should().Equal(["newer"], "an expired message is never delivered, even before retention runs");
        var pruned = await h.Store.PruneAsync();
        pruned.ExpiredOffline.Should().Be(1);
        (await h.Store.AppendPrivateAsync("alice", "bob", "fits again", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery, "expiry frees room in the queue");
    }
}
