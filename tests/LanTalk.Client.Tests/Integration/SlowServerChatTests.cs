using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A server that stalls while the connection stays up (a paused machine, a hung disk): the chat window waits for the
/// message's confirmation and says it is slow, never that the connection dropped. It said "not confirmed: the
/// connection dropped (timed out) ... Up brings it back", and following that advice delivered the message twice
/// (a UX audit, 2026-12-06). Real server, real sockets, a relay that holds the server's bytes.
/// </summary>
public sealed class SlowServerChatTests : ChatServerFixture
{
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required }, "alice");

    /// <summary>alice's window behind a relay that can hold the server's bytes, told of a slow confirmation after 2 s.</summary>
    private async Task<(TcpRelay Relay, ChatWindow Alice)> OpenBehindRelayAsync()
    {
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        // The window's request timeout is half the slow notice's time: the old rule failed the message before it.
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "alice"), slowConfirmation: TimeSpan.FromSeconds(2));
        Cleanup.Add(alice);
        return (relay, alice);
    }

    [Test]
    public async Task A_message_confirmed_late_is_waited_for_and_shown_once_without_a_failure()
    {
        var (relay, alice) = await OpenBehindRelayAsync();

        relay.StallReplies();
        var typing = alice.TypeAsync("status report 42");
        await alice.Output.WaitFor("still waiting for the server to confirm \"status report 42\"", "the slow notice");
        relay.ResumeReplies();
        await typing;
        await alice.Output.WaitFor("alice: status report 42$", "the confirmed message");

        var lines = alice.Output.Lines.ToList();
        lines.Should().NotContain(l => l.Contains("not confirmed", StringComparison.Ordinal), "the connection never dropped");
        lines.Count(l => l.EndsWith("alice: status report 42", StringComparison.Ordinal)).Should().Be(1);
        alice.Session.IsConnected.Should().BeTrue();
    }

    [Test]
    public async Task A_line_typed_while_a_confirmation_is_overdue_is_shown_as_waiting_behind_it_then_sent_in_order()
    {
        // It showed nowhere while the server stalled (40 s in the audit), so people typed it again.
        var (relay, alice) = await OpenBehindRelayAsync();

        relay.StallReplies();
        var first = alice.TypeAsync("first of two");
        await alice.Output.WaitFor("still waiting for the server to confirm \"first of two\"", "the slow notice");
        var second = alice.TypeAsync("second of two");
        await alice.Output.WaitFor("waiting: \"second of two\" is sent to #lobby once the server confirms \"first of two\"", "the second line, shown as waiting");
        relay.ResumeReplies();
        await Task.WhenAll(first, second);
        await alice.Output.WaitFor("alice: second of two$", "the second message, sent after the first was confirmed");

        var shown = alice.Output.Lines.Where(l => l.EndsWith(" of two", StringComparison.Ordinal) && l.Contains("alice: ", StringComparison.Ordinal)).ToList();
        shown.Should().HaveCount(2);
        shown[0].Should().EndWith("alice: first of two");
    }

    [Test]
    public async Task Leaving_while_the_server_is_stalled_waits_for_its_goodbye_only_briefly()
    {
        // /quit, Ctrl+D or Ctrl+C with the server paused (kill -STOP, a hung machine) sat silent for the request
        // timeout (15 s) after the 2 s grace for a line on its way: a user who leaves has no use for the server's
        // answer to the goodbye (a UX audit in tmux, 2026-12-07).
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "alice"));
        Cleanup.Add(alice);

        relay.StallReplies();
        var leaving = alice.Session.LogoutAsync();
        var first = await Task.WhenAny(leaving, Task.Delay(ChatSession.LogoutWait + TimeSpan.FromSeconds(3)));

        first.Should().BeSameAs(leaving, "the goodbye is waited for a moment, not the whole request timeout");
        await leaving;
        alice.Session.Ended.IsCompleted.Should().BeTrue();
    }
}
