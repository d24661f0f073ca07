using LanTalk.Client.Chat;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A start shares one budget of lines (about 1,000) out among the recent history of the user's rooms: in many rooms
/// each shows its newest share and counts the rest, in a few each shows the last HistoryOnJoin (50) messages as before.
/// </summary>
public sealed class StartInManyRoomsTests : ChatServerFixture
{
    private const string Time = @"^\[\d\d:\d\d\] ";

    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with
        {
            TlsMode = TlsMode.Required,
            HistoryPowerSafe = false,
            MaxRoomsPerUser = 100,
            MessageRatePerSecond = 100_000,
            MessageBurst = 100_000,
            CommandRatePerSecond = 100_000,
            CommandBurst = 100_000,
        }, "alice", "bob");

    private static string Room(int room) => $"r{room:D2}";

    private static string Text(int room, int message) => $"{Room(room)}-m{message:D2}";

    /// <summary>alice and bob in <paramref name="rooms"/> rooms, in each of which bob said <paramref name="messages"/> lines.</summary>
    private async Task FillAsync(int rooms, int messages)
    {
        await using var alice = await Server.LoginAsync("alice", Server.ClientOptions with { Version = 3 });
        await using var bob = await Server.LoginAsync("bob", Server.ClientOptions with { Version = 3 });
        await Task.WhenAll(Enumerable.Range(1, rooms).Select(async room =>
        {
            await bob.JoinRoomAsync(Room(room));
            await alice.JoinRoomAsync(Room(room));
            for (int message = 1; message <= messages; message++)
            {
                await bob.SendRoomAsync(Room(room), Text(room, message));
            }
        })).WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>alice's lantalk, started, once the history of all her rooms is shown.</summary>
    private async Task<ChatWindow> StartAliceAsync()
    {
        var alice = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "a1"));
        Cleanup.Add(alice);
        await alice.Session.LoginShownAsync(CancellationToken.None).WaitAsync(RecordingListener.Timeout);
        return alice;
    }

    [Test]
    public async Task A_start_in_many_rooms_shows_each_rooms_newest_share_of_about_1000_lines_and_counts_the_rest()
    {
        // Every start printed each room's last 50 messages: 10,000 old lines for a user in 200 rooms, the few new
        // ones buried (an outside scale audit, 2026-12-06). Here 61 rooms (60 and the lobby) share 1,000: 16 each.
        const int rooms = 60;
        const int messages = 30;
        await FillAsync(rooms, messages);

        var alice = await StartAliceAsync();

        var lines = alice.Output.Lines;
        string window = string.Join('\n', lines);
        int perRoom = CatchUp.Budget / (rooms + 1);
        lines.Count(l => l.Contains("bob: r", StringComparison.Ordinal)).Should().Be(rooms * perRoom, "each room's share, about 1,000 lines in all:\n" + window);
        for (int room = 1; room <= rooms; room++)
        {
            foreach (int shown in new[] { messages - perRoom + 1, messages })
            {
                lines.Should().ContainSingle(l => l.EndsWith("bob: " + Text(room, shown), StringComparison.Ordinal), "the room's newest {0} are shown", perRoom);
            }

            lines.Should().NotContain(l => l.EndsWith("bob: " + Text(room, messages - perRoom), StringComparison.Ordinal), "older ones are left to PageUp");
        }

        lines.Count(l => l == $"\u2014 {messages - perRoom} more before these; /history pages back \u2014").Should().Be(rooms, "each room says how many it left out");
        lines.Count(l => l.StartsWith("\u2014 earlier", StringComparison.Ordinal)).Should().Be(rooms, "each room's history under its marker");
    }

    [Test]
    public async Task A_start_in_a_few_rooms_shows_the_last_50_messages_of_each_as_before()
    {
        await FillAsync(rooms: 1, messages: 60);

        var alice = await StartAliceAsync();

        var lines = alice.Output.Lines.ToList();
        int earlier = lines.FindIndex(l => l.StartsWith("\u2014 earlier", StringComparison.Ordinal));
        earlier.Should().BeGreaterThanOrEqualTo(0, string.Join('\n', lines));
        var shown = lines.Skip(earlier + 2).TakeWhile(l => l.Contains("bob: r", StringComparison.Ordinal)).ToList();
        shown.Should().HaveCount(50);
        shown[0].Should().MatchRegex(Time + ".*bob: " + Text(1, 11) + "$");
        shown[^1].Should().MatchRegex(Time + ".*bob: " + Text(1, 60) + "$");
        // The count sits where "before these" is true: above the lines, under "— earlier —"; below them, next to
        // "— now —", it read as more to come (an outside audit, F5).
        lines[earlier + 1].Should().Be("\u2014 10 more before these; /history pages back \u2014");
        lines.Skip(earlier + 2 + 50).Take(1).Should().Equal("\u2014 now \u2014");
    }

    [Test]
    public async Task PageUp_after_a_start_in_many_rooms_shows_the_messages_left_out_of_the_current_room()
    {
        const int rooms = 60;
        const int messages = 30;
        await FillAsync(rooms, messages);
        var alice = await StartAliceAsync();
        int perRoom = CatchUp.Budget / (rooms + 1);

        string leftOut = "bob: " + Text(7, messages - perRoom);
        alice.Output.Lines.Should().NotContain(l => l.EndsWith(leftOut, StringComparison.Ordinal), "the start left it out");
        await alice.TypeAsync("/go " + Room(7));
        await alice.PageUpAsync();

        await alice.Output.WaitFor(leftOut + "$", "the newest one left out, on the page before the oldest shown");
    }
}
