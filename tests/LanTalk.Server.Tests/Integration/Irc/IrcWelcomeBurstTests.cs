namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>What an IRC client is told as it connects: the welcome burst and the user modes irssi sets at once (real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcWelcomeBurstTests
{
    [Test]
    public async Task The_welcome_names_the_default_network_once()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        lock (alice.Seen)
        {
            alice.Seen.Should().Contain(":lantalk.local 001 alice :Welcome to the LanTalk network, alice!alice@lantalk");
        }
    }

    [Test]
    public async Task The_lusers_of_the_burst_count_the_user_registering()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        lock (alice.Seen)
        {
            alice.Seen.Should().Contain(":lantalk.local 251 alice :There are 2 users and 0 invisible on 1 servers");
            alice.Seen.Should().Contain(":lantalk.local 255 alice :I have 2 clients and 0 servers");
            alice.Seen.Should().Contain(l => IrcTestClient.Untagged(l).StartsWith(":lantalk.local 265 alice 2 2 ", StringComparison.Ordinal));
        }

        // A second session of an online user adds no user.
        await using var bobAgain = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        lock (bobAgain.Seen)
        {
            bobAgain.Seen.Should().Contain(":lantalk.local 251 bob :There are 2 users and 0 invisible on 1 servers");
        }
    }

    [Test]
    public async Task Harmless_user_modes_clients_set_at_connect_are_accepted_silently_and_others_get_501()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        // irssi sends +i at every connect, others +w; PING marks where their (absent) answers would be.
        await alice.SendAsync("MODE alice +i");
        await alice.SendAsync("MODE alice +iw-w");
        await alice.SendAsync("PING :after-harmless");
        await alice.ExpectAsync(l => l.EndsWith("after-harmless", StringComparison.Ordinal), "the PONG after the harmless modes");
        lock (alice.Seen)
        {
            alice.Seen.Should().NotContain(l => l.Contains(" 501 ", StringComparison.Ordinal));
        }

        await alice.SendAsync("MODE alice +ix");
        (await alice.ExpectCommandAsync("501")).Should().Contain("'x'");
        await alice.SendAsync("MODE alice");
        (await alice.ExpectCommandAsync("221")).Should().Be(":lantalk.local 221 alice +");
    }
}
