using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A device's network drops (its connection reset) while others keep talking in two rooms and privately: after the
/// reconnect every message is shown exactly once, in order per room (a history audit, 2026-12-05: the catch-up of a
/// room sometimes vanished, in 4 of 16 attempts). Real server with history, real sockets, a relay standing for Wi-Fi.
/// </summary>
public sealed class NetworkDropChatTests : ChatServerFixture
{
    private const int Count = 40;

    private const int DropAt = 15;

    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, MessageRatePerSecond = 1000, MessageBurst = 1000 }, "alice", "bob", "carol");

    [Test]
    public async Task Every_message_said_while_the_connection_dropped_is_shown_once_in_order()
    {
        await using var alice = await ChatClientFor("alice");
        await alice.JoinRoomAsync("dev");
        await using (var bobFirst = await ChatClientFor("bob"))
        {
            await bobFirst.JoinRoomAsync("dev");
        }

        await using var carol = await ChatClientFor("carol");
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        // About the default first delay: the messages said meanwhile are what the catch-up brings.
        var policy = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(700), MaxDelay = TimeSpan.FromSeconds(1), MaxTries = 20 };
        var bob = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, $"b-{Guid.NewGuid():N}"), policy);
        Cleanup.Add(bob);

        for (int i = 0; i < Count; i++)
        {
            await alice.SendRoomAsync("dev", $"d{i:D2}");
            await carol.SendRoomAsync("lobby", $"l{i:D2}");
            if (i % 4 == 0)
            {
                await alice.SendPrivateAsync("bob", $"p{i:D2}");
            }

            if (i == DropAt)
            {
                relay.DropAll();
            }

            await Task.Delay(50);
        }

        await bob.Output.WaitFor($"d{Count - 1:D2}$", "the last message in #dev");
        await bob.Output.WaitFor($"l{Count - 1:D2}$", "the last message in #lobby");
        var lines = bob.Output.Lines.ToList();
        foreach (var (prefix, step) in new[] { ("d", 1), ("l", 1), ("p", 4) })
        {
            var shown = lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, $@"\b{prefix}(\d\d)\b")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            shown.Should().Equal(Enumerable.Range(0, Count).Where(i => i % step == 0), $"every {prefix} message once, in order; the window:\n{string.Join('\n', lines)}");
        }
    }

    private Task<ChatClient> ChatClientFor(string user) => Server.LoginAsync(user, new ChatClientOptions
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
        Version = 3,
        WrapStream = LanTalk.Core.Security.TlsClientLayer.Create((_, fingerprint) => fingerprint == Server.Fingerprint),
    });
}
