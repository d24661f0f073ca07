namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// A session's commands take effect in the order it sent them, though a message waits for its commit to the history
/// store and a topic, a leave or an away text does not need one (real server with history, real sockets): the other
/// sessions see a message before a topic set after it, and the sender gets its echo before its own RoomLeft.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CommandOrderTests
{
    [Test]
    public async Task Messages_and_a_topic_sent_in_one_write_reach_a_member_in_that_order()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        var bob = await V3.LoginAsync(server, "bob");
        await using var a = alice.Client;
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");

        var seen = new List<string>();
        bob.Client.MessageReceived += (_, m) =>
        {
            lock (seen)
            {
                seen.Add("message " + m.Text);
            }
        };
        bob.Client.TopicChanged += (_, _, t) =>
        {
            lock (seen)
            {
                seen.Add("topic " + t.Text);
            }
        };

        // Not awaited one by one: the client writes them back to back, as a paste or a script does.
        var one = alice.Client.SendRoomAsync("dev", "one");
        var topic = alice.Client.SetTopicAsync("dev", "release on Friday");
        var two = alice.Client.SendRoomAsync("dev", "two");
        var topic2 = alice.Client.SetTopicAsync("dev", "released");
        await Task.WhenAll(one, topic, two, topic2);

        await bob.Topics.WaitForAsync(t => t.Topic.Text == "released", "the second topic at bob");
        lock (seen)
        {
            seen.Should().Equal("message one", "topic release on Friday", "message two", "topic released");
        }
    }

    [Test]
    public async Task A_message_then_a_leave_in_one_write_gets_its_echo_before_the_room_left()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("dev");
        await alice.Client.JoinRoomAsync("ops");

        var seen = new List<string>();
        var leftSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.Client.MessageReceived += (_, m) =>
        {
            lock (seen)
            {
                seen.Add("echo " + m.Text);
            }
        };
        alice.Client.RoomLeft += (_, room, _) =>
        {
            lock (seen)
            {
                seen.Add("left " + room);
            }

            leftSeen.TrySetResult();
        };

        var sent = alice.Client.SendRoomAsync("dev", "last words");
        var left = alice.Client.LeaveRoomAsync("dev");
        await Task.WhenAll(sent, left);
        // The request's task completes with the answer; the RoomLeft event is raised just after it.
        await Wait.ForAsync(leftSeen.Task, "the RoomLeft event");
        lock (seen)
        {
            seen.Should().Equal("echo last words", "left dev");
        }
    }
}
