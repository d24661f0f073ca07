using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A v3 client catches up on each of its rooms with a JoinRoom the moment it is logged in: those requests, one per
/// room and a few more, must not be refused by a small CommandBurst (a settings audit, 2026-12-06), and past them the
/// command bucket applies as before.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LoginCommandAllowanceTests
{
    private static readonly string[] s_rooms = ["r1", "r2", "r3"];

    /// <summary>A server with CommandBurst 1 on which alice is in the default room and <see cref="s_rooms"/>.</summary>
    private static async Task<TestServer> StartInRoomsAsync()
    {
        var server = await TestServer.StartWithHistoryAsync(null, "alice");
        await using (var first = await V3.LoginAsync(server, "alice"))
        {
            uint tag = 1;
            foreach (string room in s_rooms)
            {
                await V3.JoinAsync(first, room, tag++);
            }
        }

        // Read per command, as a reload applies them.
        server.Server.ApplySettings(server.Server.Settings with { CommandBurst = 1, CommandRatePerSecond = 0.01 });
        return server;
    }

    [Test]
    public async Task The_requests_a_client_sends_right_after_login_are_answered_with_CommandBurst_1()
    {
        await using var server = await StartInRoomsAsync();
        await using var raw = await V3.LoginAsync(server, "alice");

        // What lantalk sends at once: a WhoIs to see its rooms listed, the private catch-up, a JoinRoom per room.
        await raw.SendAsync(ChatCommand.WhoIs, new RoomRequestPacket(10, Name: "alice"));
        await raw.SendAsync(ChatCommand.History, new HistoryRequestPacket(11, HistoryScope.Private, Limit: 50));
        var who = await raw.ReadUntilAsync(f => f.Packet is UserInfoPacket or ErrorPacket, "the WhoIs answer");
        who.Packet.Should().BeOfType<UserInfoPacket>($"got {who}");
        var privateEnd = await raw.ReadUntilAsync(f => f.Packet is HistoryEndPacket or ErrorPacket, "the private catch-up's end");
        privateEnd.Packet.Should().BeOfType<HistoryEndPacket>($"got {privateEnd}");
        uint tag = 20;
        foreach (string room in s_rooms.Prepend("lobby"))
        {
            // ReadAnswerAsync fails on a refusal (RateLimited) of the join.
            await V3.JoinAsync(raw, room, tag++);
        }
    }

    [Test]
    public async Task Past_the_login_allowance_the_command_bucket_applies()
    {
        await using var server = await StartInRoomsAsync();
        await using var raw = await V3.LoginAsync(server, "alice");

        // Free: one per room (the default room and three) and CommandsAfterLogin; then the bucket's one token.
        int allowed = 4 + Session.CommandsAfterLogin + 1;
        var frames = Enumerable.Range(1, allowed + 3).SelectMany(tag =>
            FrameCodec.Serialize(ChatCommand.WhoIs, string.Empty, new RoomRequestPacket((uint)tag, Name: "alice")).ToArray());
        await raw.SendBytesAsync(frames.ToArray());

        var refused = new List<uint>();
        int answered = 0;
        while (answered + refused.Count < allowed + 3)
        {
            var frame = await raw.ReadUntilAsync(f => f.Command == ChatCommand.WhoIs || f.Packet is ErrorPacket, "WhoIs answers and refusals");
            if (frame.Packet is ErrorPacket error)
            {
                error.Code.Should().Be(ErrorCode.RateLimited, $"got {frame}");
                // The rate as set, not rounded to one decimal ("at most 0 commands per second").
                error.Text.Should().Contain("at most 0.01 commands per second");
                refused.Add(error.Tag);
            }
            else
            {
                answered++;
            }
        }

        answered.Should().Be(allowed);
        refused.Should().Equal((uint)allowed + 1, (uint)allowed + 2, (uint)allowed + 3);
    }

    [Test]
    public async Task Commands_sent_the_moment_the_welcome_arrives_get_the_allowance_of_every_room()
    {
        await using var server = await StartInRoomsAsync();
        // The login is held between its UserAuthenticated and putting the session in its rooms (all under the registry's
        // lock) until the client's first command reaches the server's read loop, which asks the session's gate whether
        // it may be handled now. A read loop that then sized its allowance from the rooms the login had put the session
        // in so far found none, and refused the joins (CI, 2026-12-06). The gate holds commands until the login is done,
        // and the count is taken under the registry's lock: either way the outcome does not depend on that moment.
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool heldUntilAsked = false;
        server.Server.Rooms.AfterWelcome = session =>
        {
            var connection = ((Session)session).Connection;
            var gate = connection.Gate ?? throw new InvalidOperationException("a ChatSocket session has a gate");
            connection.Gate = command =>
            {
                var wait = gate(command);
                asked.TrySetResult();
                return wait;
            };
            heldUntilAsked = asked.Task.Wait(Wait.Timeout);
        };
        await using var raw = await V3.LoginAsync(server, "alice");

        // A join per room, then the rest of the allowance and the bucket's one token: every one is answered.
        string[] rooms = [.. s_rooms.Prepend("lobby")];
        var joins = rooms.SelectMany((room, i) =>
            FrameCodec.Serialize(ChatCommand.JoinRoom, room, new RoomRequestPacket((uint)(20 + i))).ToArray());
        var whoIs = Enumerable.Range(40, Session.CommandsAfterLogin + 1).SelectMany(tag =>
            FrameCodec.Serialize(ChatCommand.WhoIs, string.Empty, new RoomRequestPacket((uint)tag, Name: "alice")).ToArray());
        await raw.SendBytesAsync(joins.Concat(whoIs).ToArray());

        for (int i = 0; i < rooms.Length; i++)
        {
            // ReadAnswerAsync fails on a refusal (RateLimited) of the join.
            await V3.ReadAnswerAsync(raw, (uint)(20 + i));
        }

        for (int i = 0; i <= Session.CommandsAfterLogin; i++)
        {
            var answer = await raw.ReadUntilAsync(f => f.Command == ChatCommand.WhoIs || f.Packet is ErrorPacket, "a WhoIs answer");
            answer.Packet.Should().BeOfType<UserInfoPacket>($"WhoIs {i + 1} of {Session.CommandsAfterLogin + 1} should be answered, got {answer}");
        }

        heldUntilAsked.Should().BeTrue("the login should have been held until the first command reached the read loop");
    }
}
