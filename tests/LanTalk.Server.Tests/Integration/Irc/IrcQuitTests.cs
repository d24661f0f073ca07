namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>A user going offline is a QUIT line in the channels shared with it, with the reason when there is one (real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcQuitTests
{
    [Test]
    public async Task An_irc_clients_quit_reason_reaches_the_other_irc_clients()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":bob!bob@lantalk JOIN #lobby", "bob joining the lobby at alice");

        await bob.SendAsync("QUIT :leaving");
        // "Quit: " as IRC servers prefix a client's own reason.
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("QUIT")).Should().Be(":bob!bob@lantalk QUIT :Quit: leaving");

        // The ChatSocket Logout carries no reason.
        var carol = await server.LoginAsync("carol");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":carol!carol@lantalk JOIN #lobby", "carol coming online");
        await carol.DisposeAsync();
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("QUIT")).Should().Be(":carol!carol@lantalk QUIT Disconnected");
    }

    [Test]
    public async Task A_quit_without_a_reason_is_shown_as_disconnected()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":bob!bob@lantalk JOIN #lobby", "bob joining the lobby at alice");

        await bob.SendAsync("QUIT");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("QUIT")).Should().Be(":bob!bob@lantalk QUIT Disconnected");
    }

    [Test]
    public async Task A_quit_and_a_login_again_within_one_presence_batch_keep_the_quit_reason()
    {
        // Shown as QUIT and JOIN, the QUIT said "Disconnected" (an IRC audit, 2026-12-06). A long batch period puts
        // both in one batch.
        await using var server = await TestServer.StartAsync(s => s with { IrcPort = 0 }, TimeSpan.FromSeconds(1), "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":bob!bob@lantalk JOIN #lobby", "bob joining the lobby at alice");

        await bob.SendAsync("QUIT :brb");
        await bob.ExpectClosedAsync();
        await bob.DisposeAsync();
        await using var again = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");

        IrcTestClient.Untagged(await alice.ExpectCommandAsync("QUIT")).Should().Be(":bob!bob@lantalk QUIT :Quit: brb");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("JOIN")).Should().Be(":bob!bob@lantalk JOIN #lobby");
    }
}
