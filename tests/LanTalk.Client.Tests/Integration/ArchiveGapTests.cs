using LanTalk.Client.Archive;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// What the archive keeps when lantalk starts again after more messages than a room's replay shows (an archive audit,
/// 2026-12-07): the replay's newest messages were archived, and the range of archived ids grew from the last run's
/// newest id over the messages in between, so paging back to them showed them but never archived them.
/// </summary>
public sealed class ArchiveGapTests : ChatServerFixture
{
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, HistoryOnJoin = 5 }, "alice", "bob");

    private async Task<ChatWindow> Open(string user, string window)
    {
        var chat = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, user, Path.Combine(Home.Path, window));
        Cleanup.Add(chat);
        return chat;
    }

    [Test]
    public async Task Messages_paged_back_to_after_a_start_that_showed_only_the_newest_are_archived_once()
    {
        var bob = await Open("bob", "b1");
        string aliceFolder = Path.Combine(Home.Path, "a1");
        await using (var first = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "alice", aliceFolder))
        {
            await bob.TypeAsync("seen-1 live");
            await first.Output.WaitFor(@"bob: seen-1 live$", "a message the first run archives");
            await first.Archive.FlushAsync();
        }

        for (int i = 1; i <= 12; i++)
        {
            await bob.TypeAsync($"gap-{i} while away");
        }

        // The start shows the newest 5; the 7 before them and seen-1 are left to /history.
        var alice = await Open("alice", "a1");
        await alice.Output.WaitFor(@"bob: gap-12 while away$", "the newest of the start's replay");
        await alice.TypeAsync("/history 20");
        await alice.Output.WaitFor(@"bob: gap-1 while away$", "the oldest message missed, paged back to");

        // Paged back once more (the page before those), as a user reading further does: still archived once.
        await alice.TypeAsync("/history 20");
        await alice.Archive.FlushAsync();
        for (int i = 1; i <= 12; i++)
        {
            ArchiveReader.Search([aliceFolder], $"gap-{i} while away").Should().ContainSingle("every message shown is archived once (gap-{0})", i);
        }

        ArchiveReader.Search([aliceFolder], "seen-1 live").Should().ContainSingle("the first run archived it");
    }
    [Test]
    public async Task Messages_paged_back_to_after_joining_again_a_room_left_in_an_earlier_run_are_archived_once()
    {
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join dev");
        string aliceFolder = Path.Combine(Home.Path, "a1");
        await using (var first = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "alice", aliceFolder))
        {
            await first.TypeAsync("/join dev");
            await bob.TypeAsync("before-part in dev");
            await first.Output.WaitFor(@"bob: before-part in dev$", "a message archived while in #dev");
            await first.TypeAsync("/part dev");
            await first.Archive.FlushAsync();
        }

        for (int i = 1; i <= 12; i++)
        {
            await bob.TypeAsync($"while-parted-{i} in dev");
        }

        // A later run joins again: the join's replay is the room's recent history, not a catch-up.
        var alice = await Open("alice", "a1");
        await alice.TypeAsync("/join dev");
        await alice.Output.WaitFor(@"bob: while-parted-12 in dev$", "the newest of the join's replay");
        await alice.TypeAsync("/history 20");
        await alice.Output.WaitFor(@"bob: while-parted-1 in dev$", "the oldest message posted while away, paged back to");
        await alice.Archive.FlushAsync();
        for (int i = 1; i <= 12; i++)
        {
            ArchiveReader.Search([aliceFolder], $"while-parted-{i} in dev").Should().ContainSingle("every message shown is archived once (while-parted-{0})", i);
        }

        ArchiveReader.Search([aliceFolder], "before-part in dev").Should().ContainSingle("the first run archived it");
    }
}
