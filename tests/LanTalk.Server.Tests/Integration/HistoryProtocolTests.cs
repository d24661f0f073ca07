using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Durable history through the protocol, on a real server with history.db: replay, catch-up, paging, search, v2.</summary>
[TestFixture]
public sealed class HistoryProtocolTests
{
    [Test]
    public async Task A_join_replays_the_rooms_messages_with_their_ids_then_live_messages_follow()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        await V3.JoinAsync(alice, "dev", 1);
        var ids = new List<ulong>();
        for (uint i = 0; i < 3; i++)
        {
            ids.Add((await V3.SayAsync(alice, "dev", 10 + i, $"before {i}")).MessageId);
        }

        await using var bob = await V3.LoginAsync(server, "bob");
        var (replay, end) = await V3.JoinAsync(bob, "dev", 2);
        await V3.SayAsync(alice, "dev", 20, "live");
        var live = await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket, "the live message");

        replay.Select(m => m.MessageId).Should().Equal(ids);
        replay.Should().OnlyContain(m => m.Flags == MessageMarks.History && m.From == "alice" && m.Tag == 0);
        replay.Select(m => m.Text).Should().Equal("before 0", "before 1", "before 2");
        end.Should().Be(new HistoryEndPacket(2, 3, 0, ids[0], ids[2]));
        var message = (ChatMessagePacket)live.Packet;
        message.Text.Should().Be("live");
        message.Flags.Should().Be(MessageMarks.None);
        live.Target.Should().Be("dev");
    }

    [Test]
    public async Task Messages_racing_a_join_reach_the_joiner_exactly_once_in_id_order_history_first()
    {
        // The flood limit would refuse most of a 200-message burst; this test is about the seam.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { MessageRatePerSecond = 100_000, MessageBurst = 1_000_000 }, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        await V3.JoinAsync(alice, "dev", 1);
        for (uint i = 0; i < 20; i++)
        {
            await V3.SayAsync(alice, "dev", 100 + i, $"old {i}");
        }

        await using var bob = await V3.LoginAsync(server, "bob");
        // 200 messages pour in without waiting for echoes while bob joins in the middle of them.
        var pouring = Task.Run(async () =>
        {
            for (uint i = 0; i < 200; i++)
            {
                await alice.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(1000 + i, $"racing {i}"), "dev");
            }
        });
        await bob.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(5), "dev");
        await Wait.ForAsync(pouring, "alice's 200 messages to be written");

        var seen = new List<ChatMessagePacket>();
        bool ended = false;
        while (seen.Count(m => m.Text.StartsWith("racing", StringComparison.Ordinal)) < 200 || !ended)
        {
            var frame = await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket || f.Packet is HistoryEndPacket { Tag: 5 }, "the replay and the live messages");
            if (frame.Packet is HistoryEndPacket)
            {
                ended = true;
                seen.Should().OnlyContain(m => m.Flags == MessageMarks.History, "everything before HistoryEnd is replay");
            }
            else
            {
                var message = (ChatMessagePacket)frame.Packet;
                message.Flags.Should().Be(ended ? MessageMarks.None : MessageMarks.History, $"#{message.MessageId} came {(ended ? "after" : "before")} HistoryEnd");
                seen.Add(message);
            }
        }

        seen.Select(m => m.MessageId).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        seen.Where(m => m.Text.StartsWith("racing", StringComparison.Ordinal)).Should().HaveCount(200, "none lost at the seam");
    }

    [Test]
    public async Task After_a_reconnect_a_join_with_SinceId_replays_only_what_was_missed_and_counts_the_rest()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { MaxReplay = 3 }, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        await V3.JoinAsync(alice, "dev", 1);
        ulong lastSeen;
        await using (var bob = await V3.LoginAsync(server, "bob"))
        {
            await V3.JoinAsync(bob, "dev", 1);
            lastSeen = (await V3.SayAsync(alice, "dev", 2, "seen")).MessageId;
            await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket { MessageId: var id } && id == lastSeen, "the message bob saw");
        }

        var missed = new List<ulong>();
        for (uint i = 0; i < 5; i++)
        {
            missed.Add((await V3.SayAsync(alice, "dev", 10 + i, $"missed {i}")).MessageId);
        }

        await using var back = await V3.LoginAsync(server, "bob");
        var (replay, end) = await V3.JoinAsync(back, "dev", 7, sinceId: lastSeen);

        replay.Select(m => m.MessageId).Should().Equal(missed.Take(3), "at most MaxReplay (3)");
        end.Count.Should().Be(3);
        end.Remaining.Should().Be(2, "two more were missed");
        await back.SendAsync(ChatCommand.History, new HistoryRequestPacket(8, HistoryScope.Room, AfterId: end.LastId), "dev");
        var (rest, restEnd) = await V3.ReadAnswerAsync(back, 8);
        rest.Select(m => m.MessageId).Should().Equal(missed.Skip(3));
        restEnd.Remaining.Should().Be(0);
    }

    [Test]
    public async Task History_pages_back_and_refuses_a_room_the_user_is_not_in()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        await using var alice = await V3.LoginAsync(server, "alice");
        await V3.JoinAsync(alice, "dev", 1);
        var ids = new List<ulong>();
        for (uint i = 0; i < 7; i++)
        {
            ids.Add((await V3.SayAsync(alice, "dev", 10 + i, $"page {i}")).MessageId);
        }

        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(20, HistoryScope.Room, Limit: 3), "dev");
        var (newest, first) = await V3.ReadAnswerAsync(alice, 20);
        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(21, HistoryScope.Room, BeforeId: first.FirstId, Limit: 3), "dev");
        var (older, second) = await V3.ReadAnswerAsync(alice, 21);
        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(22, HistoryScope.Room), "elsewhere");
        var refused = await alice.ReadUntilAsync(f => f.Packet is ErrorPacket { Tag: 22 }, "the refusal");

        newest.Select(m => m.MessageId).Should().Equal(ids[4..]);
        first.Remaining.Should().Be(4);
        older.Select(m => m.MessageId).Should().Equal(ids[1..4]);
        second.Remaining.Should().Be(1);
        ((ErrorPacket)refused.Packet).Code.Should().Be(ErrorCode.NoSuchRoom, "'elsewhere' does not exist, as for every room command");
    }

    [Test]
    public async Task Limit_0_is_a_real_page_even_when_joins_replay_nothing_and_a_larger_Limit_is_capped()
    {
        // HistoryOnJoin 0 made the default page empty: "Count 0, Remaining 5" forever to a client paging back.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { HistoryOnJoin = 0, MaxHistoryPage = 4 }, "alice");
        await using var alice = await V3.LoginAsync(server, "alice");
        await V3.JoinAsync(alice, "dev", 1);
        var ids = new List<ulong>();
        for (uint i = 0; i < 6; i++)
        {
            ids.Add((await V3.SayAsync(alice, "dev", 10 + i, $"line {i}")).MessageId);
        }

        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(20, HistoryScope.Room), "dev");
        var (page, end) = await V3.ReadAnswerAsync(alice, 20);
        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(21, HistoryScope.Room, Limit: 65535), "dev");
        var (capped, _) = await V3.ReadAnswerAsync(alice, 21);

        page.Select(m => m.MessageId).Should().Equal(ids[2..], "the default page (50) capped at MaxHistoryPage (4)");
        end.Remaining.Should().Be(2);
        capped.Select(m => m.MessageId).Should().Equal(ids[2..]);
    }

    [Test]
    public async Task History_of_a_room_the_user_is_not_in_is_NotInRoom_and_of_no_room_NoSuchRoom()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        await using var bob = await V3.LoginAsync(server, "bob");
        await V3.JoinAsync(bob, "ops", 1);

        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(2, HistoryScope.Room), "OPS");
        var notIn = await alice.ReadUntilAsync(f => f.Packet is ErrorPacket { Tag: 2 }, "the refusal");
        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(3, HistoryScope.Room), "nowhere");
        var none = await alice.ReadUntilAsync(f => f.Packet is ErrorPacket { Tag: 3 }, "the refusal");

        ((ErrorPacket)notIn.Packet).Code.Should().Be(ErrorCode.NotInRoom);
        ((ErrorPacket)none.Packet).Code.Should().Be(ErrorCode.NoSuchRoom);
    }

    [Test]
    public async Task Search_finds_the_users_rooms_and_own_private_messages_only()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob", "carol");
        await using var alice = await V3.LoginAsync(server, "alice");
        await using var bob = await V3.LoginAsync(server, "bob");
        await using var carol = await V3.LoginAsync(server, "carol");
        await V3.JoinAsync(alice, "dev", 1);
        await V3.JoinAsync(carol, "secret", 1);
        var inRoom = await V3.SayAsync(alice, "dev", 2, "the kettle is on");
        await V3.SayAsync(carol, "secret", 2, "the secret kettle");
        await bob.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(3, "kettle for alice"), "alice");
        var pm = (ChatMessagePacket)(await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: 3 }, "bob's echo")).Packet;
        await bob.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(4, "kettle for carol"), "carol");
        await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: 4 }, "bob's echo");

        await alice.SendAsync(ChatCommand.Search, new HistoryRequestPacket(9, HistoryScope.Everything, Text: "KETTLE"));
        var (hits, end) = await V3.ReadAnswerAsync(alice, 9);

        hits.Select(m => m.MessageId).Should().Equal(inRoom.MessageId, pm.MessageId);
        end.Count.Should().Be(2);
    }

    [Test]
    public async Task History_survives_a_server_restart_with_its_ids_and_new_ids_continue_above_them()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        ulong before;
        await using (var alice = await V3.LoginAsync(server, "alice"))
        {
            await V3.JoinAsync(alice, "dev", 1);
            before = (await V3.SayAsync(alice, "dev", 2, "before the restart")).MessageId;
        }

        await server.StopAsync();
        await server.RestartAsync();
        await using var again = await V3.LoginAsync(server, "alice");
        var (replay, _) = await V3.JoinAsync(again, "dev", 3);
        var after = await V3.SayAsync(again, "dev", 4, "after the restart");

        replay.Should().ContainSingle().Which.Should().Match<ChatMessagePacket>(m => m.MessageId == before && m.Text == "before the restart");
        after.MessageId.Should().BeGreaterThan(before);
    }

    [Test]
    public async Task A_room_left_by_its_last_member_takes_its_history_along_so_a_new_room_of_that_name_starts_empty()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "mallory");
        await using (var alice = await V3.LoginAsync(server, "alice"))
        {
            await V3.JoinAsync(alice, "secret", 1);
            await V3.SayAsync(alice, "secret", 2, "the launch code");
            await alice.SendAsync(ChatCommand.LeaveRoom, new RoomRequestPacket(3), "secret");
            await alice.ReadUntilAsync(f => f.Command == ChatCommand.LeaveRoom && f.Target == "secret", "alice's RoomLeft");
        }

        // The deletion is queued to the writer before the RoomLeft answer; a no-op queued now completes after it.
        await Wait.ForAsync(server.History.WriteAsync(_ => 0), "the writer to pass the room's deletion");
        await using var mallory = await V3.LoginAsync(server, "mallory");
        var (replay, end) = await V3.JoinAsync(mallory, "secret", 1);
        await mallory.SendAsync(ChatCommand.History, new HistoryRequestPacket(2, HistoryScope.Room), "secret");
        var (paged, _) = await V3.ReadAnswerAsync(mallory, 2);
        await mallory.SendAsync(ChatCommand.Search, new HistoryRequestPacket(3, HistoryScope.Everything, Text: "launch"));
        var (found, _) = await V3.ReadAnswerAsync(mallory, 3);

        replay.Should().BeEmpty();
        end.Count.Should().Be(0);
        paged.Should().BeEmpty();
        found.Should().BeEmpty();
    }

    [Test]
    public async Task A_v2_client_gets_no_history_at_login_only_live_messages()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "old");
        await using var alice = await V3.LoginAsync(server, "alice");
        await V3.SayAsync(alice, string.Empty, 1, "said before old came");

        await using var old = await server.LoginRawAsync("old");
        await old.SendAsync(ChatCommand.Ping, new PingPacket(77));
        var first = await old.ReadUntilAsync(f => f.Command is ChatCommand.Pong or ChatCommand.PublicMessage or ChatCommand.PrivateMessage, "the pong");
        await V3.SayAsync(alice, string.Empty, 2, "said after");
        var live = await old.ReadUntilAsync(f => f.Command == ChatCommand.PublicMessage, "the live message");

        first.Command.Should().Be(ChatCommand.Pong, "nothing from history comes before it");
        ((ChatMessagePacket)live.Packet).Text.Should().Be("said after");
    }
}
