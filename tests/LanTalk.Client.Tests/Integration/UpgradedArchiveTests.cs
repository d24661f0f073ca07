using System.Globalization;
using LanTalk.Client.Archive;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>lantalk continuing an archive an older client wrote with the same HOME (an upgrade audit, 2026-12-06).</summary>
public sealed class UpgradedArchiveTests : ChatServerFixture
{
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, HistoryOnJoin = 2 }, "alice", "bob");

    private async Task<ChatWindow> Open(string user, string window)
    {
        var chat = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, user, Path.Combine(Home.Path, window));
        Cleanup.Add(chat);
        return chat;
    }

    [Test]
    public async Task Messages_an_older_client_archived_are_neither_shown_as_missed_nor_archived_again()
    {
        // bob tries this client once (archived-ids gets a private id), then goes back to a first-release client,
        // which shows and archives a lobby message and a private one in its own format: whole seconds, no room, no ids.
        var alice = await Open("alice", "a1");
        var first = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, "b1"));
        try
        {
            await alice.TypeAsync("/msg bob first try");
            await first.Output.WaitFor(@"alice -> bob: first try$", "the private message of the first try");
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using (var old = await Server.LoginAsync("bob", Server.ClientOptions with { Version = 3 }))
        {
            await alice.TypeAsync("pub-1 seen by the old client");
            await alice.TypeAsync("/msg bob pm-1 seen by the old client");
            // Received by bob's session but never archived here: a message the start's catch-up must show.
            await alice.TypeAsync("/msg bob pm-2 taken by another client");
            await alice.Output.WaitFor(@"-> bob: pm-2 taken by another client$", "the echo");
            await old.LogoutAsync();
        }

        await alice.Archive.FlushAsync();
        string bobFolder = Path.Combine(Home.Path, "b1");
        foreach (string line in ArchiveReader.Search([alice.Archive.Folder], "seen by the old client"))
        {
            ArchiveFormat.TryParse(line, out var message).Should().BeTrue(line);
            var time = message!.ServerTime.UtcDateTime;
            string stamp = time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            string oldLine = message.To is null ? $"{stamp} PUB {message.From}: {message.Text}" : $"{stamp} PRIV {message.From} -> {message.To}: {message.Text}";
            File.AppendAllText(Path.Combine(bobFolder, ArchiveFormat.DayFileName(message.ServerTime)), oldLine + "\n");
        }

        // bob upgrades for good: the join replays the lobby, the catch-up asks from archived-ids' private id.
        var bob = await Open("bob", "b1");
        await bob.Output.WaitFor(@"alice -> bob: pm-2 taken by another client$", "the message the other client took", after: "^\u2014 private messages missed while away \u2014$");
        await bob.Output.WaitFor(@"alice: pub-1 seen by the old client$", "the lobby's replay");
        bob.Output.Lines.Should().NotContain(l => l.Contains("pm-1", StringComparison.Ordinal), "the old client showed it: its line is in the archive");

        await bob.Archive.FlushAsync();
        foreach (string text in new[] { "pub-1", "pm-1", "pm-2" })
        {
            ArchiveReader.Search([bobFolder], text).Should().ContainSingle("history received from the server is stored once ({0})", text);
        }
    }
}
