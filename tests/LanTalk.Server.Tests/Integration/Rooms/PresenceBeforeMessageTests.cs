namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// Presence is batched, messages are not; yet nobody gets a message from someone they have not been told is there.
/// Each server here batches presence 3 s apart, so without the early batch (RoomRegistry.PresenceOrder) every message
/// below would arrive seconds before the join or login that it follows.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PresenceBeforeMessageTests
{
    private static readonly TimeSpan LongBatch = TimeSpan.FromSeconds(3);

    [Test]
    public async Task A_member_hears_of_a_join_before_the_joiners_first_message_in_the_room()
    {
        await using var server = await TestServer.StartAsync(null, LongBatch, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("ops");
        // A new room takes messages once the rooms file holds it, which a batch's save does: this waits for that,
        // so bob's message below is not held for the save (and the batch that carries his join) as well.
        await alice.Client.SendRoomAsync("ops", "the room is saved");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        await bob.Client.JoinRoomAsync("ops");
        await bob.Client.SendRoomAsync("ops", "first words");

        await alice.Messages.WaitForAsync(m => m.Room == "ops" && m.Text == "first words", "alice gets bob's message");
        alice.MemberChanges.Items.Should().Contain(c => c.Room == "ops" && c.Joined && c.Users.Contains("bob"),
            "alice must hear that bob joined ops before his message there");
    }

    [TestCase(2)]
    [TestCase(3)]
    public async Task Everyone_hears_of_a_login_before_the_newcomers_first_public_message(int listenerVersion)
    {
        await using var server = await TestServer.StartAsync(null, LongBatch, "alice", "bob");
        var alice = await server.LoginProbeAsync("alice", V3.Options() with { Version = (ushort)listenerVersion });
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        await bob.Client.SendPublicAsync("hello all");

        await alice.Messages.WaitForAsync(m => m.Text == "hello all", "alice gets bob's message");
        alice.Joined.Items.Should().Contain("bob", "alice must hear that bob is online before his message");
    }

    [Test]
    public async Task The_recipient_hears_of_a_login_before_a_private_message_sent_right_after_it()
    {
        await using var server = await TestServer.StartAsync(null, LongBatch, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        await bob.Client.SendPrivateAsync("alice", "psst");

        await alice.Messages.WaitForAsync(m => m.Text == "psst", "alice gets bob's private message");
        alice.Joined.Items.Should().Contain("bob", "alice must hear that bob is online before his message");
    }

    [Test]
    public async Task A_sender_whose_presence_is_out_does_not_make_the_batch_early()
    {
        // A minute: no timer tick can come between carol's login and the check.
        await using var server = await TestServer.StartAsync(null, TimeSpan.FromMinutes(1), "alice", "bob", "carol");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await bob.Client.SendPublicAsync("flushes bob's login");
        await alice.Joined.WaitForAsync(n => n == "bob", "alice hears of bob");
        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;

        // bob's login is out already: his second message must not write carol's login ahead of its batch.
        await bob.Client.SendPublicAsync("second");

        await alice.Messages.WaitForAsync(m => m.Text == "second", "alice gets bob's second message");
        alice.Joined.Items.Should().NotContain("carol", "carol's login waits for its own batch, seconds away");
    }
}
