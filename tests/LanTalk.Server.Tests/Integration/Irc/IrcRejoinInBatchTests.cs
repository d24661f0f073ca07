using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// A kick or a leave with a reason, followed by a rejoin within one presence batch (HexChat's and mIRC's "rejoin on
/// kick", irssi's /cycle): the members who stay see the departure and then the join; the user's own sessions see
/// their departure once, at once, and nothing of it after their new join (real sockets, batches 2 s apart so the
/// rejoin surely falls in the batch of the departure).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcRejoinInBatchTests
{
    private static readonly TimeSpan Batch = TimeSpan.FromSeconds(2);

    private static Task<TestServer> StartAsync(params string[] users) =>
        TestServer.StartAsync(s => s with { IrcPort = 0 }, Batch, users);

    [Test]
    public async Task A_victim_back_at_once_gets_no_second_KICK_and_the_members_see_the_kick_then_the_join()
    {
        await using var server = await StartAsync("alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var laptop = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var bobRaw = await RawClient.ConnectAsync(server.Port);
        await bobRaw.LoginAsync("bob", version: 3);
        await using var carol = await RawClient.ConnectAsync(server.Port);
        await carol.LoginAsync("carol", version: 3);
        await alice.JoinAsync("alice", "#k");
        await bob.JoinAsync("bob", "#k");
        await carol.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(7), "k");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!", StringComparison.Ordinal) && l.EndsWith("JOIN #k", StringComparison.Ordinal), "carol's JOIN");
        // The batch of the joins so far (carol's own included), so what follows is read from later batches.
        await carol.ReadUntilAsync(f => f.Command == ChatCommand.MemberJoined && f.Target == "k" && f.Packet is UserListPacket list && list.Users.Any(u => u.Name == "carol"), "the batch of carol's join");

        await alice.SendAsync("KICK #k bob :out");
        const string Kick = ":alice!alice@lantalk KICK #k bob :out";
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("KICK")).Should().Be(Kick);
        await bob.JoinAsync("bob", "#k");

        IrcTestClient.Untagged(await alice.ExpectCommandAsync("KICK")).Should().Be(Kick);
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.EndsWith("JOIN #k", StringComparison.Ordinal), "bob's JOIN after the KICK");

        // A marker in a later batch: carol leaves; everyone of bob sees it, and must have seen nothing stale before.
        await carol.SendAsync(ChatCommand.LeaveRoom, new RoomRequestPacket(8), "k");
        foreach (var session in new[] { bob, laptop })
        {
            await session.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!", StringComparison.Ordinal) && l.Contains(" PART #k", StringComparison.Ordinal), "carol's PART");
            lock (session.Seen)
            {
                session.Seen.Count(l => IrcTestClient.Untagged(l) == Kick).Should().Be(1, "every session of the victim sees its KICK once, before its JOIN");
                session.Seen.FindLastIndex(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.EndsWith("JOIN #k", StringComparison.Ordinal))
                    .Should().BeGreaterThan(session.Seen.IndexOf(session.Seen.First(l => IrcTestClient.Untagged(l) == Kick)));
            }
        }

        // carol (ChatSocket) sees the kick, then the join: the rejoin used to cancel the MemberLeft, so no kick at all.
        var seen = new List<(ChatCommand Command, UserListPacket List)>();
        await carol.ReadUntilAsync(
            f =>
            {
                if (f.Command is ChatCommand.MemberLeft or ChatCommand.MemberJoined && f.Target == "k" && f.Packet is UserListPacket list && list.Users.Any(u => u.Name == "bob"))
                {
                    seen.Add((f.Command, list));
                }

                return f.Command == ChatCommand.MemberJoined && seen.Count > 0 && seen[^1].Command == ChatCommand.MemberJoined;
            },
            "bob's MemberJoined");
        seen.Select(s => s.Command).Should().Equal(new[] { ChatCommand.MemberLeft, ChatCommand.MemberJoined }, string.Join(" | ", seen.Select(x => x.Command + ":" + string.Join(",", x.List.Users.Select(u => u.Name)))));
        var left = seen[0].List;
        left.Departures![left.Users.ToList().FindIndex(u => u.Name == "bob")].Should().Be(new MemberDeparture(RoomLeftReason.Kicked, "alice", "out"));

        // bob's ChatSocket session: RoomLeft(Kicked), then the new join's RoomInfo, and no MemberLeft naming bob after it.
        var afterInfo = new List<ReceivedFrame>();
        bool rejoined = false;
        await bobRaw.ReadUntilAsync(
            f =>
            {
                rejoined |= f.Command == ChatCommand.JoinRoom && f.Packet is RoomInfoPacket && f.Target == "k";
                if (rejoined)
                {
                    afterInfo.Add(f);
                }

                return f.Command == ChatCommand.MemberLeft && f.Target == "k" && f.Packet is UserListPacket list && list.Users.Any(u => u.Name == "carol");
            },
            "carol's MemberLeft");
        afterInfo.Should().NotContain(f => f.Command == ChatCommand.MemberLeft && f.Target == "k" && ((UserListPacket)f.Packet).Users.Any(u => u.Name == "bob"),
            "bob is a member again; a MemberLeft naming him would drop him from his own list");
    }

    [Test]
    public async Task A_cycle_shows_the_members_the_PART_with_its_reason_then_the_JOIN()
    {
        await using var server = await StartAsync("alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var carol = await RawClient.ConnectAsync(server.Port);
        await carol.LoginAsync("carol", version: 3);
        await alice.JoinAsync("alice", "#dev");
        await bob.JoinAsync("bob", "#dev");
        await carol.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(7), "dev");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!", StringComparison.Ordinal) && l.EndsWith("JOIN #dev", StringComparison.Ordinal), "carol's JOIN");
        // The batch of the joins so far (carol's own included), so what follows is read from later batches.
        await carol.ReadUntilAsync(f => f.Command == ChatCommand.MemberJoined && f.Target == "dev" && f.Packet is UserListPacket list && list.Users.Any(u => u.Name == "carol"), "the batch of carol's join");

        await bob.SendAsync("PART #dev :switching laptops\r\nJOIN #dev");

        IrcTestClient.Untagged(await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal), "bob's PART"))
            .Should().Be(":bob!bob@lantalk PART #dev :switching laptops");
        IrcTestClient.Untagged(await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal), "bob's JOIN"))
            .Should().EndWith("JOIN #dev");
        var seen = new List<(ChatCommand Command, UserListPacket List)>();
        await carol.ReadUntilAsync(
            f =>
            {
                if (f.Command is ChatCommand.MemberLeft or ChatCommand.MemberJoined && f.Target == "dev" && f.Packet is UserListPacket list && list.Users.Any(u => u.Name == "bob"))
                {
                    seen.Add((f.Command, list));
                }

                return f.Command == ChatCommand.MemberJoined && seen.Count > 0 && seen[^1].Command == ChatCommand.MemberJoined;
            },
            "bob's MemberJoined");
        seen.Select(s => s.Command).Should().Equal(ChatCommand.MemberLeft, ChatCommand.MemberJoined);
        seen[0].List.Departures![0].Should().Be(new MemberDeparture(RoomLeftReason.Left, string.Empty, "switching laptops"));
    }
}
