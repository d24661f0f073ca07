using LanTalk.Client.Archive;
using LanTalk.Client.Chat;
using LanTalk.Client.Connection;
using LanTalk.Client.Settings;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;

namespace LanTalk.Client.Tests.Integration;

/// <summary>Two and three real client sessions talking through the real server.</summary>
public sealed class SessionTests : ChatServerFixture
{
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartTlsAsync("alice", "bob", "carol");

    private async Task<(ChatSession Session, RecordingListener Events)> Login(string user, ReconnectPolicy? policy = null, string? address = null)
    {
        ServerAddress.TryParse(address ?? Server.Address, 0, out var server, out _).Should().BeTrue();
        var events = new RecordingListener();
        var session = new ChatSession(new ServerConnector(new ConnectOptions { Server = server, TrustedFingerprint = Server.Fingerprint }), user, TestServer.Password, policy ?? ReconnectPolicy.Never, events);
        Cleanup.Add(session);
        await session.StartAsync(CancellationToken.None).WaitAsync(RecordingListener.Timeout);
        return (session, events);
    }

    [Test]
    public async Task Public_messages_reach_everyone_including_the_sender_as_confirmation()
    {
        var (alice, aliceEvents) = await Login("alice");
        var (_, bobEvents) = await Login("bob");

        var echo = await alice.SendAsync(null, "hello everyone 👋", CancellationToken.None);

        echo.From.Should().Be("alice");
        echo.To.Should().BeNull();
        await bobEvents.WaitFor(() => bobEvents.Messages.Any(m => m.Text == "hello everyone 👋"), "bob to get the public message");
        await aliceEvents.WaitFor(() => aliceEvents.Messages.Any(m => m.Id == echo.Id), "alice's own echo");
        bobEvents.Messages.Single().Should().BeEquivalentTo(echo);
    }

    [Test]
    public async Task Private_messages_reach_only_the_recipient_and_are_marked()
    {
        var (alice, _) = await Login("alice");
        var (_, bobEvents) = await Login("bob");
        var (carol, carolEvents) = await Login("carol");

        var echo = await alice.SendAsync("bob", "just for you", CancellationToken.None);
        await carol.SendAsync(null, "marker", CancellationToken.None);

        echo.To.Should().Be("bob");
        await bobEvents.WaitFor(() => bobEvents.Messages.Any(m => m.Text == "marker"), "bob to get carol's marker");
        bobEvents.Messages.First().Should().BeEquivalentTo(echo);
        bobEvents.Messages.First().IsPrivate.Should().BeTrue();
        // The server sends in order, so once carol has her own marker she would have had the private message too.
        await carolEvents.WaitFor(() => carolEvents.Messages.Any(m => m.Text == "marker"), "carol's echo");
        carolEvents.Messages.Should().NotContain(m => m.Text == "just for you");
    }

    [Test]
    public async Task Private_message_to_someone_offline_fails_with_a_clear_reason()
    {
        var (alice, _) = await Login("alice");

        var act = () => alice.SendAsync("bob", "anyone?", CancellationToken.None);

        var failure = (await act.Should().ThrowAsync<ChatClientException>()).Which;
        FailureText.ForSend(failure, "bob").Should().Be("not delivered: 'bob' is not online");
        alice.IsConnected.Should().BeTrue("a failed delivery does not end the session");
    }

    [Test]
    public async Task Login_shows_who_is_online_and_joins_and_leaves_are_reported()
    {
        var (alice, aliceEvents) = await Login("alice");
        var (bob, _) = await Login("bob");

        await aliceEvents.WaitFor(() => aliceEvents.Presence.Contains("bob joined"), "bob's join");
        bob.OnlineUsers.Select(u => u.Name).Should().BeEquivalentTo("alice", "bob");
        (await alice.RequestUsersAsync(CancellationToken.None)).Select(u => u.Name).Should().BeEquivalentTo("alice", "bob");

        await bob.LogoutAsync();
        await aliceEvents.WaitFor(() => aliceEvents.Presence.Contains("bob left"), "bob's leave");
    }

    [Test]
    public async Task Sent_and_received_messages_are_archived_per_user()
    {
        using var temp = new TempDirectory();
        var server = new ServerAddress("127.0.0.1", Server.Port);
        await using var aliceArchive = new ArchiveWriter(ArchiveLocation.Folder(temp.Path, server, "alice"));
        await using var bobArchive = new ArchiveWriter(ArchiveLocation.Folder(temp.Path, server, "bob"));
        var formatter = new MessageFormatter(DisplayOptions.Default, false, TimeZoneInfo.Utc, true);
        var aliceOut = new StringWriter();
        var aliceEvents = new RecordingListener();
        var aliceSession = new ChatSession(new ServerConnector(new ConnectOptions { Server = server, TrustedFingerprint = Server.Fingerprint }), "alice", TestServer.Password, ReconnectPolicy.Never,
            new TeeListener(new ChatPrinter(new StreamChatOutput(aliceOut, TextWriter.Null), formatter, aliceArchive, () => "alice"), aliceEvents));
        Cleanup.Add(aliceSession);
        var bobEvents = new RecordingListener();
        var bobSession = new ChatSession(new ServerConnector(new ConnectOptions { Server = server, TrustedFingerprint = Server.Fingerprint }), "bob", TestServer.Password, ReconnectPolicy.Never, bobEvents);
        Cleanup.Add(bobSession);
        await aliceSession.StartAsync(CancellationToken.None);
        await bobSession.StartAsync(CancellationToken.None);

        await aliceSession.SendAsync(null, "line one\nline two", CancellationToken.None);
        var secret = await bobSession.SendAsync("alice", "psst", CancellationToken.None);
        // The printer archives before the recorder sees the event, so once alice has both, both are queued.
        await aliceEvents.WaitFor(() => aliceEvents.Messages.Count == 2, "alice to receive both messages");
        await aliceArchive.FlushAsync();

        var lines = ArchiveReader.Tail(aliceArchive.Folder, 10);
        lines.Should().HaveCount(2);
        lines[0].Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z PUB #lobby alice: line one\\nline two$");
        lines[1].Should().EndWith(" PRIV bob -> alice: psst");
        Path.GetFileName(ArchiveReader.DayFiles(aliceArchive.Folder).Single()).Should().Be(ArchiveFormat.DayFileName(secret.ServerTime));
        aliceOut.ToString().Should().Contain("alice: line one\\nline two").And.Contain("[private] bob -> alice: psst");
    }
}
