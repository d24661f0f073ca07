using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Capacity and abuse limits: MaxClients, the message rate, and failed-login throttling.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LimitsTests
{
    [Test]
    public async Task Full_server_refuses_a_new_connection_with_ServerFull_and_the_first_two_keep_chatting()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxClients = 2 }, "alice", "bob", "carol");
        await using var alice = await server.LoginAsync("alice");
        var bob = await server.LoginProbeAsync("bob");
        await using var b = bob.Client;

        var connect = () => server.LoginAsync("carol");

        var failure = (await connect.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.ServerFull);
        failure.Code.Should().Be(ErrorCode.ServerFull);
        failure.Message.Should().Contain("(2 sessions online)", "MaxClients counts sessions, not users, and the text says so");
        var echo = await alice.SendPublicAsync("still here");
        await bob.Messages.WaitForAsync(m => m.Id == echo.Id, "bob gets alice's message");
        bob.Joined.Items.Should().BeEmpty("carol never got in");
    }

    [Test]
    public async Task Login_that_would_exceed_MaxClients_fails_with_ServerFull()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxClients = 2 }, "alice", "bob", "carol");
        // Carol connects while there is room, and the server fills before she logs in.
        await using var carol = await server.ConnectAsync();
        await using var alice = await server.LoginAsync("alice");
        var bob = await server.LoginProbeAsync("bob");
        await using var b = bob.Client;

        var failure = await LoginTests.LoginFailure(carol, "carol", TestServer.Password);

        failure.Failure.Should().Be(ChatFailure.ServerFull);
        (await carol.Completion.WaitAsync(Wait.Timeout)).Code.Should().Be(ErrorCode.ServerFull, "ServerFull closes the connection");
        var echo = await alice.SendPublicAsync("still here");
        await bob.Messages.WaitForAsync(m => m.Id == echo.Id, "bob gets alice's message");
        server.Server.OnlineCount.Should().Be(2);
    }

    [Test]
    public async Task Third_message_in_quick_succession_is_RateLimited_when_the_burst_is_two()
    {
        await using var server = await TestServer.StartAsync(s => s with { MessageRatePerSecond = 1, MessageBurst = 2 }, "alice");
        await using var alice = await server.LoginAsync("alice");

        Task<ChatMessage>[] sends = [alice.SendPublicAsync("one"), alice.SendPublicAsync("two"), alice.SendPublicAsync("three")];

        (await sends[0]).Text.Should().Be("one");
        (await sends[1]).Text.Should().Be("two");
        var third = () => sends[2];
        var failure = (await third.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.RateLimited);
        failure.Code.Should().Be(ErrorCode.RateLimited);
        alice.IsConnected.Should().BeTrue("RateLimited does not close the connection");
    }

    [Test]
    public async Task Client_that_keeps_sending_after_RateLimited_is_disconnected_with_ServerDisconnected()
    {
        await using var server = await TestServer.StartAsync(s => s with { MessageRatePerSecond = 0.01, MessageBurst = 1 }, "alice");
        await using var raw = await server.LoginRawAsync("alice");

        // One message within the burst, then 101 refusals in a row: one more than the server tolerates.
        var flood = Enumerable.Range(1, 102).SelectMany(i => FrameCodec.Serialize(ChatCommand.PublicMessage, "", new SendTextPacket((uint)i, "spam"))).ToArray();
        await raw.SendBytesAsync(flood);

        var frames = await raw.ReadAllUntilClosedAsync();

        // The final frame may overtake refusals still queued, and whatever follows it is to be ignored.
        var final = frames.Should().ContainSingle(f => f.Command == ChatCommand.ServerDisconnected).Which;
        ((ErrorPacket)final.Packet).Code.Should().Be(ErrorCode.RateLimited);
        frames.Where(f => f.Command == ChatCommand.PublicMessage).Select(f => ((ChatMessagePacket)f.Packet).Tag)
            .Should().Equal([1u], "only the message within the burst is relayed");
        frames.Where(f => f.Command == ChatCommand.Error).Select(f => (ErrorPacket)f.Packet)
            .Should().OnlyContain(e => e.Code == ErrorCode.RateLimited && e.Tag >= 2 && e.Tag <= 101);
    }

    [Test]
    public async Task Messages_refused_as_too_long_spend_the_rate_and_a_flood_of_them_is_cut_off()
    {
        // MessageTooLong spent no token: 2,000 over-long messages in one write got 2,000 refusals and the session
        // stayed open, so a client could make the server parse gigabytes without limit.
        await using var server = await TestServer.StartAsync(s => s with { MaxMessageBytes = 100, MessageRatePerSecond = 0.01, MessageBurst = 2 }, "alice");
        await using var raw = await server.LoginRawAsync("alice");

        string tooLong = new('x', 101);
        var flood = Enumerable.Range(1, 103).SelectMany(i => FrameCodec.Serialize(ChatCommand.PublicMessage, "", new SendTextPacket((uint)i, tooLong))).ToArray();
        await raw.SendBytesAsync(flood);

        var frames = await raw.ReadAllUntilClosedAsync();

        var final = frames.Should().ContainSingle(f => f.Command == ChatCommand.ServerDisconnected).Which;
        ((ErrorPacket)final.Packet).Code.Should().Be(ErrorCode.RateLimited);
        var errors = frames.Where(f => f.Command == ChatCommand.Error).Select(f => (ErrorPacket)f.Packet).ToList();
        errors.Where(e => e.Code == ErrorCode.MessageTooLong).Select(e => e.Tag).Should().Equal([1u, 2u], "only the burst's two are read for their length");
        errors.Where(e => e.Code != ErrorCode.MessageTooLong).Should().OnlyContain(e => e.Code == ErrorCode.RateLimited && e.Tag >= 3 && e.Tag <= 102);
    }

    [Test]
    public async Task After_LoginFailureLimit_failures_even_the_right_password_is_RateLimited()
    {
        await using var server = await TestServer.StartAsync(s => s with { LoginFailureLimit = 3 }, "alice");
        await using var client = await server.ConnectAsync();
        for (int i = 0; i < 3; i++)
        {
            (await LoginTests.LoginFailure(client, "alice", $"guess {i}")).Code.Should().Be(ErrorCode.AuthFailed);
        }

        var throttled = await LoginTests.LoginFailure(client, "alice", TestServer.Password);

        throttled.Failure.Should().Be(ChatFailure.RateLimited);
        throttled.Code.Should().Be(ErrorCode.RateLimited);
        client.IsAuthenticated.Should().BeFalse();
    }
}
