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
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
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
}
