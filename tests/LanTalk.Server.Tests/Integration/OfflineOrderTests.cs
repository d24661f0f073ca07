using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Login order (docs/PROTOCOL.md): the stored private messages come, oldest first, before any live message.</summary>
[TestFixture]
public sealed class OfflineOrderTests
{
    // Enough stored messages that their flush takes several store rounds (StoreRoomHistory.OfflineBatch each), so
    // live messages sent the moment the recipient is seen online land while it runs.
    private const int Stored = 6 * StoreRoomHistory.OfflineBatch;

    private const int Live = 20;

    [Test]
    public async Task Live_private_and_room_messages_sent_while_the_stored_ones_are_flushed_arrive_after_all_of_them_in_order()
    {
        // One sender stores them all: its share of bob's queue (OfflineMessagesPerSender) must hold them.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { OfflineMessagesPerSender = Stored }, "alice", "bob");
        var appends = await Task.WhenAll(Enumerable.Range(1, Stored)
            .Select(i => server.History.AppendPrivateAsync("alice", "bob", $"stored {i}", queueForDelivery: true)));
        appends.Should().OnlyContain(r => r.Status == AppendStatus.StoredForDelivery);

        await using var alice = await V3.LoginAsync(server, "alice");
        var bobLogin = V3.LoginAsync(server, "bob");
        // The race: alice talks to bob (privately and in the room) as soon as the server says he is online,
        // which is while his stored messages are still being queued.
        await alice.ReadUntilAsync(f => f.Command == ChatCommand.UserConnected
            && (f.Packet is PresencePacket { UserName: "bob" } || f.Packet is UserListPacket list && list.Users.Any(u => u.Name == "bob")), "bob coming online");
        for (uint tag = 1; tag <= Live; tag++)
        {
            if (tag % 2 == 1)
            {
                await alice.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(tag, $"live {tag}"), "bob");
            }
            else
            {
                await alice.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(tag, $"live {tag}"));
            }

            await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: var t } && t == tag, $"the echo of live {tag}");
        }

        await using var bob = await bobLogin;
        var received = new List<ChatMessagePacket>();
        while (received.Count < Stored + Live)
        {
            var frame = await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket, $"message {received.Count + 1} of {Stored + Live}");
            received.Add((ChatMessagePacket)frame.Packet);
        }

        var storedIds = appends.Select(a => (ulong)a.Id).Order().ToList();
        received.Take(Stored).Select(m => m.MessageId).Should().Equal(storedIds, "the stored messages come first, oldest first");
        received.Take(Stored).Should().OnlyContain(m => m.Flags.HasFlag(MessageMarks.Offline));
        received.Skip(Stored).Select(m => m.Text).Should().Equal(Enumerable.Range(1, Live).Select(i => $"live {i}"), "live traffic follows, in the order it was sent");
        received.Skip(Stored).Should().OnlyContain(m => !m.Flags.HasFlag(MessageMarks.Offline));
    }

    [Test]
    public async Task A_message_committed_after_the_recipients_login_read_the_queue_is_delivered_in_that_session()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        // Holds the store's one writer: alice's message to the offline bob is routed (stored for delivery) but not
        // committed until bob's login has read his (empty) queue.
        var blocker = server.History.WriteAsync(_ =>
        {
            entered.Set();
            gate.Wait(TimeSpan.FromSeconds(30));
            return 0;
        });
        try
        {
            (await Task.Run(() => entered.Wait(Wait.Timeout))).Should().BeTrue("the writer should take the blocking operation");
            await alice.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(7, "are you there"), "bob");
            // Frames are handled in order: the pong says the message was routed while bob was offline.
            await alice.SendAsync(ChatCommand.Ping, new PingPacket(1));
            await alice.ReadUntilAsync(f => f.Command == ChatCommand.Pong, "alice's pong");

            await using var bob = await V3.LoginAsync(server, "bob");
            await bob.SendAsync(ChatCommand.Ping, new PingPacket(2));
            await bob.ReadUntilAsync(f => f.Command == ChatCommand.Pong, "bob's pong, after his login read the queue");
            gate.Set();
            await Wait.ForAsync(blocker, "the blocking write");

            var echo = (ChatMessagePacket)(await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: 7 }, "the acknowledgement")).Packet;
            echo.Flags.Should().HaveFlag(MessageMarks.Stored, "bob was offline when it was routed");
            var delivered = (ChatMessagePacket)(await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the stored message, in this session")).Packet;
            delivered.MessageId.Should().Be(echo.MessageId);
            delivered.Flags.Should().HaveFlag(MessageMarks.Offline);
            var receipt = (ReceiptPacket)(await alice.ReadUntilAsync(f => f.Packet is ReceiptPacket, "the receipt")).Packet;
            receipt.MessageId.Should().Be(echo.MessageId);
            server.History.PendingFor("bob").Should().BeEmpty();
        }
        finally
        {
            gate.Set();
        }
    }
}
