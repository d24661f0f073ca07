using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Private messages to users with no session: stored, delivered at login with receipts; the cap; a store that cannot commit.</summary>
[TestFixture]
public sealed class OfflineDeliveryTests
{
    [Test]
    public async Task A_message_to_an_offline_user_is_acknowledged_as_stored_delivered_at_login_to_every_session_and_receipted()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        await alice.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(5, "call me"), "bob");
        var echo = (ChatMessagePacket)(await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: 5 } || f.Packet is ErrorPacket, "the acknowledgement")).Packet;
        echo.Flags.Should().HaveFlag(MessageMarks.Stored);

        await using var bob = await V3.LoginAsync(server, "bob");
        var delivered = await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the stored message");
        var receipt = await alice.ReadUntilAsync(f => f.Packet is ReceiptPacket, "the receipt");
        await using var bobAgain = await V3.LoginAsync(server, "bob");
        // A device started right after the first gets the same frames (PROTOCOL.md, "Devices started together").
        var again = await bobAgain.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the message again");

        var message = (ChatMessagePacket)delivered.Packet;
        message.Should().Match<ChatMessagePacket>(m => m.MessageId == echo.MessageId && m.ServerTimeMs == echo.ServerTimeMs && m.Text == "call me" && m.From == "alice");
        message.Flags.Should().HaveFlag(MessageMarks.Offline);
        delivered.Command.Should().Be(ChatCommand.PrivateMessage);
        ((ReceiptPacket)receipt.Packet).Should().Match<ReceiptPacket>(r => r.MessageId == echo.MessageId && r.Recipient == "bob");
        again.Packet.Should().Match<ChatMessagePacket>(m => m.MessageId == echo.MessageId && (m.Flags & MessageMarks.Offline) != 0, "a session logging in within 30 s of the delivery gets it too");
        server.History.PendingFor("bob").Should().BeEmpty("it is marked delivered once");
        await alice.SendAsync(ChatCommand.Ping, new PingPacket(10));
        (await alice.ReadUntilAsync(f => f.Packet is ReceiptPacket || f.Command == ChatCommand.Pong, "alice's pong")).Command.Should().Be(ChatCommand.Pong, "one receipt, for the first delivery");
    }

    // Stored messages m000..m199 of about 4,000 bytes each for bob in StoredCount.
    private const int StoredCount = 200;

    /// <summary>
    /// Stores <see cref="StoredCount"/> messages for bob, then logs bob in on a session that reads nothing after the
    /// login's user list: the delivery fills the socket and the session is closed as a slow consumer mid-delivery (its
    /// writes stall for 5 s; batches are cut to a quarter of its 128 KiB queue, so the queue itself never overflows).
    /// </summary>
    private static async Task CutOffMidDeliveryAsync(TestServer server)
    {
        server.ExpectErrors("SlowConsumer", "slow consumer");
        for (int i = 0; i < StoredCount; i++)
        {
            (await server.History.AppendPrivateAsync("alice", "bob", $"m{i:D3} " + new string('x', 4000), queueForDelivery: true)).Status
                .Should().Be(AppendStatus.StoredForDelivery);
        }

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.SessionEnded += _ => ended.TrySetResult();
        await using var stalled = await server.LoginRawAsync("bob", socket => socket.ReceiveBufferSize = 4096);
        await Wait.ForAsync(ended.Task, "bob's session is closed as a slow consumer during the delivery", TimeSpan.FromSeconds(20));
    }

    [Test]
    public async Task Stored_messages_no_session_could_take_stay_stored_for_the_next_login()
    {
        // Before, the whole batch was still marked delivered and the rest were lost.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { OutboundQueueBytes = 128 * 1024 }, "alice", "bob");
        await CutOffMidDeliveryAsync(server);

        // The next server gives sessions a queue that holds them all.
        await server.StopAsync();
        await server.RestartAsync(s => s with { OutboundQueueBytes = 8 * 1024 * 1024 });
        await using var bob = await V3.LoginAsync(server, "bob");
        var last = await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Text: var t } && t.StartsWith($"m{StoredCount - 1:D3} ", StringComparison.Ordinal), "the last stored message at the next login");

        ((ChatMessagePacket)last.Packet).Flags.Should().HaveFlag(MessageMarks.Offline);
    }

    [Test]
    public async Task A_device_logging_in_right_after_a_delivery_was_cut_off_gets_each_stored_message_once()
    {
        // The first device stops reading mid-delivery and is cut off as a slow consumer; the user logs in again at
        // once, within the 30 s re-delivery. The re-delivery held the whole cut-off batch, written or not, and the
        // queue still held the unwritten ones: they came twice on one connection (a network audit, 2026-12-06).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { OutboundQueueBytes = 128 * 1024 }, "alice", "bob");
        await CutOffMidDeliveryAsync(server);

        server.History.PendingFor("bob").Should().NotBeEmpty("the delivery was cut off before the end");
        await using var again = await V3.LoginAsync(server, "bob");
        var texts = new List<string>();
        await again.ReadUntilAsync(f =>
        {
            if (f.Packet is ChatMessagePacket { Text: var t })
            {
                texts.Add(t[..4]);
            }

            return f.Packet is ChatMessagePacket { Text: var last } && last.StartsWith($"m{StoredCount - 1:D3} ", StringComparison.Ordinal);
        }, "the last stored message at the next login");

        texts.Should().OnlyHaveUniqueItems("each stored message comes once, re-delivered or from the queue")
            .And.HaveCount(StoredCount).And.BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Test]
    public async Task A_sender_who_was_offline_at_delivery_gets_the_receipt_at_the_next_login()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        ChatMessagePacket echo;
        await using (var alice = await V3.LoginAsync(server, "alice"))
        {
            await alice.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(5, "see you"), "bob");
            echo = (ChatMessagePacket)(await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: 5 }, "the acknowledgement")).Packet;
        }

        await using (var bob = await V3.LoginAsync(server, "bob"))
        {
            await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the stored message");
        }

        await using var back = await V3.LoginAsync(server, "alice");
        var receipt = await back.ReadUntilAsync(f => f.Packet is ReceiptPacket, "the receipt that waited");

        ((ReceiptPacket)receipt.Packet).MessageId.Should().Be(echo.MessageId);
    }

    [Test]
    public async Task A_one_shot_session_takes_no_stored_messages_they_wait_for_the_next_login_and_its_receipt()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        await alice.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(5, "call me"), "bob");
        var echo = (ChatMessagePacket)(await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: 5 }, "the acknowledgement")).Packet;

        await using (var script = await V3.LoginAsync(server, "bob", ClientHelloMarks.OneShot))
        {
            // Stored messages come before anything routed after the login, its own echo included.
            await script.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(6, "build done"), "alice");
            var first = await script.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the script's echo");
            ((ChatMessagePacket)first.Packet).Tag.Should().Be(6, "a one-shot session is delivered no stored message");
        }

        await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Text: "build done" }, "the script's message");
        server.History.PendingFor("bob").Select(m => (ulong)m.Id).Should().Equal([echo.MessageId], "it waits for a session someone reads");
        await using var bob = await V3.LoginAsync(server, "bob");
        var delivered = await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the stored message at the next login");
        var receipt = await alice.ReadUntilAsync(f => f.Packet is ReceiptPacket, "the receipt");

        delivered.Packet.Should().Match<ChatMessagePacket>(m => m.MessageId == echo.MessageId && (m.Flags & MessageMarks.Offline) != 0);
        ((ReceiptPacket)receipt.Packet).MessageId.Should().Be(echo.MessageId);
    }

    [Test]
    public async Task A_one_shot_session_takes_no_pending_receipt()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using (var alice = await V3.LoginAsync(server, "alice"))
        {
            await alice.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(5, "see you"), "bob");
            await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: 5 }, "the acknowledgement");
        }

        await using (var bob = await V3.LoginAsync(server, "bob"))
        {
            await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the stored message");
        }

        await using (var script = await V3.LoginAsync(server, "alice", ClientHelloMarks.OneShot))
        {
            // Receipts owed at login come before anything routed after it, its own echo included.
            await script.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(7, "deploying"));
            var first = await script.ReadUntilAsync(f => f.Packet is ReceiptPacket or ChatMessagePacket { Tag: 7 }, "the script's echo");
            first.Packet.Should().BeOfType<ChatMessagePacket>("a one-shot session is told no pending receipt");
        }

        await using var back = await V3.LoginAsync(server, "alice");
        (await back.ReadUntilAsync(f => f.Packet is ReceiptPacket, "the receipt that still waits")).Packet.Should().BeOfType<ReceiptPacket>();
    }

    [Test]
    public async Task A_full_offline_queue_refuses_with_TooManyStored_and_its_tag()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { OfflineMessagesPerUser = 1 }, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        await alice.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(1, "fits"), "bob");
        await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: 1 }, "the first acknowledgement");

        await alice.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(2, "one too many"), "bob");
        var refused = await alice.ReadUntilAsync(f => f.Packet is ErrorPacket || f.Packet is ChatMessagePacket { Tag: 2 }, "the refusal");

        refused.Packet.Should().BeOfType<ErrorPacket>().Which.Should().Match<ErrorPacket>(e => e.Code == ErrorCode.TooManyStored && e.Tag == 2);
        server.History.PendingFor("bob").Select(m => m.Text).Should().Equal("fits");
    }

    [Test]
    public async Task When_the_store_cannot_commit_senders_get_StorageUnavailable_nobody_gets_the_message_and_chat_resumes()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        server.ExpectErrors("cannot commit");
        await using var alice = await V3.LoginAsync(server, "alice");
        await using var bob = await V3.LoginAsync(server, "bob");
        long pages = await server.History.WriteAsync(w => SetMaxPages(w, 0));
        server.History.Health.RetryAfterMs = 60_000;
        string big = new('x', 4000);

        uint refusedTag = 0;
        for (uint tag = 1; tag <= 200 && refusedTag == 0; tag++)
        {
            await alice.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(tag, big));
            var reply = await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: var t } && t == tag || f.Packet is ErrorPacket { Tag: var e } && e == tag, $"the answer to {tag}");
            if (reply.Packet is ErrorPacket error)
            {
                error.Code.Should().Be(ErrorCode.StorageUnavailable);
                refusedTag = tag;
            }
        }

        refusedTag.Should().BePositive("the database filled up");
        server.History.Health.RetryAfterMs = 0;
        await server.History.WriteAsync(w => SetMaxPages(w, pages * 1000));
        var resumed = await V3.SayAsync(alice, string.Empty, 500, "space is back");
        var seenByBob = new List<uint>();
        while (true)
        {
            var frame = await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "alice's messages");
            var message = (ChatMessagePacket)frame.Packet;
            seenByBob.Add(message.Tag);
            if (message.MessageId == resumed.MessageId)
            {
                break;
            }
        }

        seenByBob.Should().NotContain(refusedTag, "a message that was not stored reaches no one");
        seenByBob.Should().Equal(Enumerable.Range(1, (int)refusedTag - 1).Select(t => (uint)t).Append(500u));
    }

    private static long SetMaxPages(HistoryWriter writer, long extra)
    {
        using var command = writer.Connection.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        long pages = (long)command.ExecuteScalar()!;
        command.CommandText = $"PRAGMA max_page_count = {pages + extra}";
        command.ExecuteScalar();
        return pages;
    }
}
