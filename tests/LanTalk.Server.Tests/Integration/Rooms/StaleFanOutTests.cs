using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// A room message's fan-out runs on a recipient list taken as the message was committed, without the registry lock,
/// so a member can leave (and join again) before the loop reaches them. These tests take that list with the real
/// registry, change the membership through the protocol, then run the rest of the fan-out as the router does, so
/// the interleaving is fixed rather than hoped for. The promise they hold the server to: docs/PROTOCOL.md, the join mark.
/// </summary>
[TestFixture]
public sealed class StaleFanOutTests
{
    [Test]
    public async Task A_fan_out_that_began_before_a_leave_and_rejoin_does_not_repeat_the_replayed_message_live()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await Integration.V3.LoginAsync(server, "alice");
        await using var bob = await Integration.V3.LoginAsync(server, "bob");
        await Integration.V3.JoinAsync(alice, "dev", 1);
        await Integration.V3.JoinAsync(bob, "dev", 2);
        var (room, id, stale) = await CommitWithStalledFanOutAsync(server, "late");

        await LeaveAsync(alice, "dev", 3);
        var (replay, _) = await Integration.V3.JoinAsync(alice, "dev", 4);
        FinishFanOut(room, id, stale, "late");
        var after = await Integration.V3.SayAsync(bob, "dev", 5, "after");
        var next = await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the first live message after the rejoin");

        replay.Select(m => m.MessageId).Should().Contain(id, "the rejoin's mark is at or above the message, so its replay holds it");
        ((ChatMessagePacket)next.Packet).MessageId.Should().Be(after.MessageId, $"message {id} came in the replay; sent live too it would be shown twice");
    }

    [Test]
    public async Task A_fan_out_that_began_before_a_leave_sends_nothing_of_the_room_after_RoomLeft()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await Integration.V3.LoginAsync(server, "alice");
        await using var bob = await Integration.V3.LoginAsync(server, "bob");
        await Integration.V3.JoinAsync(alice, "dev", 1);
        await Integration.V3.JoinAsync(bob, "dev", 2);
        var (room, id, stale) = await CommitWithStalledFanOutAsync(server, "late");

        await LeaveAsync(alice, "dev", 3);
        FinishFanOut(room, id, stale, "late");
        // Both are still in the default room: its next message is the barrier.
        var after = await Integration.V3.SayAsync(bob, string.Empty, 4, "in the lobby");
        var next = await alice.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the first live message after RoomLeft");

        ((ChatMessagePacket)next.Packet).MessageId.Should().Be(after.MessageId, $"alice left 'dev' before message {id} reached her; she must not get it after her RoomLeft");
    }

    [Test]
    public async Task A_rejoin_from_one_session_stops_the_stale_fan_out_to_the_users_other_session_too()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var phone = await Integration.V3.LoginAsync(server, "alice");
        await using var laptop = await Integration.V3.LoginAsync(server, "alice");
        await using var bob = await Integration.V3.LoginAsync(server, "bob");
        await Integration.V3.JoinAsync(phone, "dev", 1);
        await Integration.V3.JoinAsync(bob, "dev", 2);
        var (room, id, stale) = await CommitWithStalledFanOutAsync(server, "late");

        await LeaveAsync(phone, "dev", 3);
        await laptop.ReadUntilAsync(f => f.Packet is RoomLeftPacket, "the laptop's RoomLeft");
        await Integration.V3.JoinAsync(phone, "dev", 4);
        FinishFanOut(room, id, stale, "late");
        var after = await Integration.V3.SayAsync(bob, "dev", 5, "after");
        var next = await laptop.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the laptop's first live message after the rejoin");

        // The laptop got RoomLeft and then the room again without a replay: the message belongs to the membership
        // that ended, and shown now it would come after the leave it preceded.
        ((ChatMessagePacket)next.Packet).MessageId.Should().Be(after.MessageId, $"message {id} was sent before alice left; the laptop must not get it in her new membership");
    }

    [Test]
    public async Task A_resync_from_one_session_leaves_the_join_mark_of_the_users_other_session_alone()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var phone = await Integration.V3.LoginAsync(server, "alice");
        await using var laptop = await Integration.V3.LoginAsync(server, "alice");
        await using var bob = await Integration.V3.LoginAsync(server, "bob");
        await Integration.V3.JoinAsync(phone, "dev", 1);
        await Integration.V3.JoinAsync(bob, "dev", 2);
        // Committed, but its fan-out has not taken its recipients yet (messages of different senders complete out of
        // id order on the thread pool); the phone's resync records a later id as the room's last meanwhile.
        var early = await server.History.AppendRoomAsync("dev", "bob", "early");
        var (room, later, _) = await CommitWithStalledFanOutAsync(server, "later");

        var (replay, _) = await Integration.V3.JoinAsync(phone, "dev", 3);
        var recipients = server.Server.Rooms.Recipients(room, (ulong)early.Id);
        FinishFanOut(room, (ulong)early.Id, recipients, "early");
        var after = await Integration.V3.SayAsync(bob, "dev", 4, "after");
        var onLaptop = await laptop.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Flags: MessageMarks.None }, "the laptop's first live message");
        var onPhone = await phone.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Flags: MessageMarks.None }, "the phone's first live message after its resync");

        replay.Select(m => m.MessageId).Should().Contain([(ulong)early.Id, later], "the resync's mark covers both");
        ((ChatMessagePacket)onPhone.Packet).MessageId.Should().Be(after.MessageId, "the phone's replay held the early message");
        ((ChatMessagePacket)onLaptop.Packet).MessageId.Should().Be((ulong)early.Id, "the laptop got no replay: the phone's resync must not move its mark");
    }

    [Test]
    public async Task An_IRC_session_of_a_user_who_rejoined_from_another_device_does_not_show_the_stale_message()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        await using var phone = await Integration.V3.LoginAsync(server, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await Integration.V3.LoginAsync(server, "bob");
        await Integration.V3.JoinAsync(phone, "dev", 1);
        await irc.ExpectAsync(l => l.EndsWith(" JOIN #dev", StringComparison.Ordinal), "the IRC session's JOIN #dev");
        await Integration.V3.JoinAsync(bob, "dev", 2);
        var (room, id, stale) = await CommitWithStalledFanOutAsync(server, "late");

        await LeaveAsync(phone, "dev", 3);
        await irc.ExpectAsync(l => l.Contains(" PART #dev", StringComparison.Ordinal), "the IRC session's PART");
        await Integration.V3.JoinAsync(phone, "dev", 4);
        await irc.ExpectAsync(l => l.EndsWith(" JOIN #dev", StringComparison.Ordinal), "the IRC session's JOIN #dev again");
        FinishFanOut(room, id, stale, "late");
        await Integration.V3.SayAsync(bob, "dev", 5, "after");
        string next = await irc.ExpectCommandAsync("PRIVMSG");

        next.Should().EndWith("PRIVMSG #dev :after", $"message {id} was sent before alice left; IRC must not show it after the new JOIN");
    }

    /// <summary>
    /// Stores a message of 'dev' from bob and takes its recipients as the router does right after the commit, then
    /// stops: the caller runs the rest of the fan-out later with <see cref="FinishFanOut"/>.
    /// </summary>
    private static async Task<(Room Room, ulong Id, IRoomSession[] Recipients)> CommitWithStalledFanOutAsync(TestServer server, string text)
    {
        var rooms = server.Server.Rooms;
        var room = rooms.RoomForMessage(rooms.SessionsOf("bob")[0], "dev", 0, out var error);
        room.Should().NotBeNull($"bob is in 'dev' ({error})");
        var stored = await server.History.AppendRoomAsync("dev", "bob", text);
        ulong id = (ulong)stored.Id;
        return (room!, id, rooms.Recipients(room!, id));
    }

    /// <summary>The router's loop over recipients it took earlier: the frame it builds, handed to each session.</summary>
    private static void FinishFanOut(Room room, ulong id, IRoomSession[] recipients, string text)
    {
        var from = Encoding.UTF8.GetBytes("bob");
        var body = Encoding.UTF8.GetBytes(text);
        var frame = new byte[ChatMessageFrame.Measure(room.NameUtf8.Length, from.Length, body.Length)];
        ChatMessageFrame.Write(frame, ChatCommand.PublicMessage, room.NameUtf8, id, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), from, 0, body);
        foreach (var session in recipients)
        {
            session.DeliverRoomFrame(room, id, frame);
        }
    }

    private static async Task LeaveAsync(RawClient raw, string room, uint tag)
    {
        await raw.SendAsync(ChatCommand.LeaveRoom, new RoomRequestPacket(tag), room);
        await raw.ReadUntilAsync(f => f.Packet is RoomLeftPacket { Tag: var t } && t == tag, $"RoomLeft for '{room}'");
    }
}
