using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// Paging back (/history, PageUp) and commands typed before the window has shown the login's rooms and their history:
/// they paged back from the newest message instead of the oldest one the join showed, printing messages twice with
/// two "more before these" counts that disagreed, or said "you are in no room" (an outside client audit, 2026-12-06:
/// `printf '/history 3\n' | lantalk`, about half the runs; PageUp in the first second). The window's read thread is
/// held at the login's room or its first replayed message, so the command is always that early.
/// </summary>
public sealed class EarlyPagingTests : ChatServerFixture
{
    private const string Time = @"^\[\d\d:\d\d\] ";

    // Three messages on join, of eight: five before them to page back through.
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, HistoryOnJoin = 3 }, "alice", "bob");

    private async Task PostEightAsync()
    {
        var bob = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, "bob"));
        Cleanup.Add(bob);
        for (int i = 1; i <= 8; i++)
        {
            await bob.TypeAsync($"m{i}");
        }
    }

    /// <summary>alice's window, its read thread held at the first event <paramref name="holdAt"/> picks.</summary>
    private async Task<(ChatWindow Alice, HeldNetworkListener Network)> OpenHeldAsync(Func<string, string, bool> holdAt, bool ordered = false)
    {
        HeldNetworkListener? network = null;
        var alice = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "alice"), pageSize: 3, ordered: ordered,
            listen: printer => network = new HeldNetworkListener(printer) { HoldAt = holdAt });
        Cleanup.Add(alice);
        // Released in any case, so the window closes even when the test fails before it lets go.
        Cleanup.Add(network!);
        await network!.Reached.WaitAsync(RecordingListener.Timeout);
        return (alice, network);
    }

    /// <summary>The join's replay (m6..m8), then the page the command asked for (m3..m5): each message once.</summary>
    private static void ShouldShowTheJoinThenThePageBeforeIt(IReadOnlyList<string> shown, string pageMarker, string pageEnd)
    {
        var lines = shown.ToList();
        string all = string.Join(" | ", lines);
        for (int i = 3; i <= 8; i++)
        {
            lines.Count(l => l.EndsWith($"bob: m{i}", StringComparison.Ordinal)).Should().Be(1, $"m{i} is shown once: {all}");
        }

        lines.Should().NotContain(l => l.Contains("you are in no room", StringComparison.Ordinal), all);
        int join = lines.IndexOf("\u2014 5 more before these; /history pages back \u2014");
        join.Should().BeGreaterThan(0, "the join's replay says how many came before it, under its marker: " + all);
        lines[join - 1].Should().Be("\u2014 earlier \u2014", all);
        lines[join + 1].Should().MatchRegex(Time + "bob: m6$", all);
        lines[join + 3].Should().MatchRegex(Time + "bob: m8$", all);
        int page = lines.IndexOf(pageMarker);
        page.Should().BeGreaterThan(join, "the page comes after the join's replay, and counts what is before the oldest message it showed: " + all);
        lines.Skip(page + 1).Take(4).Should().SatisfyRespectively(
            l => l.Should().MatchRegex(Time + "bob: m3$"),
            l => l.Should().MatchRegex(Time + "bob: m4$"),
            l => l.Should().MatchRegex(Time + "bob: m5$"),
            l => l.Should().Be(pageEnd));
    }

    [Test]
    public async Task History_typed_before_the_logins_rooms_are_known_pages_back_from_the_oldest_message_the_join_shows()
    {
        await PostEightAsync();
        var (alice, network) = await OpenHeldAsync((what, room) => what == "RoomJoined");

        var typed = alice.TypeAsync("/history 3");
        network.Release();
        await typed;

        ShouldShowTheJoinThenThePageBeforeIt(alice.Output.Lines, "\u2014 earlier (2 more before these) \u2014", "\u2014 now \u2014");
    }

    [Test]
    public async Task PageUp_pressed_while_the_join_history_replays_pages_back_from_its_oldest_message()
    {
        await PostEightAsync();
        var (alice, network) = await OpenHeldAsync((what, room) => what == "Replayed" && room == "lobby");

        var paging = alice.PageUpAsync();
        network.Release();
        await paging;

        ShouldShowTheJoinThenThePageBeforeIt(alice.Output.Lines, "\u2014 earlier (2 more before these; PageUp) \u2014", "\u2014 PageDown: back to now \u2014");
    }

    [Test]
    public async Task In_pipe_order_a_command_waits_until_the_logins_rooms_and_their_history_are_shown()
    {
        // printf '/topic\n' | lantalk: "you are in no room", exit 9, when the line came before the login's rooms.
        await PostEightAsync();
        var (alice, network) = await OpenHeldAsync((what, room) => what == "RoomJoined", ordered: true);

        var typed = alice.TypeAsync("/topic");
        network.Release();
        await typed;

        var lines = alice.Output.Lines.ToList();
        string all = string.Join(" | ", lines);
        lines.Should().NotContain(l => l.Contains("you are in no room", StringComparison.Ordinal), all);
        int topic = lines.IndexOf("-- #lobby has no topic");
        topic.Should().BeGreaterThan(lines.IndexOf("\u2014 now \u2014"), "the answer comes after the login's history: " + all);
        lines.IndexOf("\u2014 now \u2014").Should().BeGreaterThan(0, all);
    }
}
