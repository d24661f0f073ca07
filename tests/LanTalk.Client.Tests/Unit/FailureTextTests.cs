using LanTalk.Client.App;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Client.Tests.Unit;

public sealed class FailureTextTests
{
    private static readonly ServerAddress Server = new("chat.lan", 7000);

    [Test]
    public void Refused_says_whether_the_server_runs_and_which_host_and_port()
    {
        var report = FailureText.ForConnect(new ChatClientException(ChatFailure.Refused, "x"), Server, "alice");
        report.ExitCode.Should().Be(ExitCode.Unreachable);
        report.Message.Should().Contain("chat.lan:7000").And.Contain("refused").And.Contain("running");
    }

    [TestCase(ChatFailure.TimedOut, (int)ExitCode.Unreachable, "timed out")]
    [TestCase(ChatFailure.HostNotFound, (int)ExitCode.Unreachable, "cannot find host")]
    [TestCase(ChatFailure.AuthFailed, (int)ExitCode.AuthFailed, "wrong user name or password")]
    [TestCase(ChatFailure.ServerFull, (int)ExitCode.ServerFull, "full")]
    [TestCase(ChatFailure.VersionMismatch, (int)ExitCode.VersionMismatch, "version mismatch")]
    [TestCase(ChatFailure.ShuttingDown, (int)ExitCode.ServerShutdown, "shutting down")]
    [TestCase(ChatFailure.Kicked, (int)ExitCode.Kicked, "removed you")]
    public void Connect_failures_have_their_own_message_and_exit_code(ChatFailure failure, int code, string text)
    {
        var report = FailureText.ForConnect(new ChatClientException(failure, "detail"), Server, "alice");
        report.ExitCode.Should().Be((ExitCode)code);
        report.Message.Should().Contain(text);
    }

    [TestCase(ChatFailure.ServerFull)]
    [TestCase(ChatFailure.RateLimited)]
    [TestCase(ChatFailure.Kicked)]
    [TestCase(ChatFailure.VersionMismatch)]
    [TestCase(ChatFailure.ConnectionLost)]
    public void A_server_text_with_terminal_sequences_is_shown_not_acted_on(ChatFailure failure)
    {
        // An Error text that retitled the window and cleared the screen in the client's last line (a hostile-server audit).
        const string hostile = "full\x1b]0;PWNED\x07\x1b[2J\u2067x";
        var ex = new ChatClientException(failure, hostile, ErrorCode.ServerFull, fromServer: true);

        string[] lines =
        [
            FailureText.ForConnect(ex, Server, "alice").Message,
            FailureText.ForSend(ex, "bob"),
            FailureText.Short(ex),
            FailureText.ForDisconnect(new DisconnectReason(DisconnectKind.RemoteError, ErrorCode.ServerFull, hostile), Server).Message,
        ];

        lines.Should().AllSatisfy(line => line.Should().NotContainAny("\x1b", "\x07", "\u2067").And.Contain("␛]0;PWNED"));
    }

    [TestCase(ErrorCode.Kicked, false, 7)]
    [TestCase(ErrorCode.AccountRemoved, false, 7)]
    [TestCase(ErrorCode.UnsupportedVersion, false, 6)]
    [TestCase(ErrorCode.AuthFailed, false, 4)]
    [TestCase(ErrorCode.ShuttingDown, true, 8)]
    [TestCase(ErrorCode.IdleTimeout, true, 3)]
    public void Kick_auth_and_version_errors_are_never_retried(ErrorCode code, bool retry, int exit)
    {
        var report = FailureText.ForDisconnect(new DisconnectReason(DisconnectKind.RemoteError, code, "why"), Server);
        report.Retryable.Should().Be(retry);
        report.ExitCode.Should().Be((ExitCode)exit);
    }

    [Test]
    public void A_dead_server_is_reported_and_retried()
    {
        var report = FailureText.ForDisconnect(new DisconnectReason(DisconnectKind.Timeout, ErrorCode.IdleTimeout, "silent for 45 s"), Server);
        report.Retryable.Should().BeTrue();
        report.Message.Should().Contain("lost contact").And.Contain("silent for 45 s");
    }

    [Test]
    public void A_failed_reconnect_try_shows_the_servers_own_refusal_not_server_full()
    {
        const string busy = "too many connections from your address are logging in at once (limit 8); try again in a moment";
        var tooMany = new ChatClientException(ChatFailure.ServerFull, busy, ErrorCode.TooManyConnections, fromServer: true);
        FailureText.Short(tooMany).Should().Be(busy).And.NotContain("full");

        var sessions = new ChatClientException(ChatFailure.AlreadyLoggedIn, "alice has 8 sessions, the most allowed", ErrorCode.TooManySessions, fromServer: true);
        FailureText.Short(sessions).Should().Be("alice has 8 sessions, the most allowed");

        var full = new ChatClientException(ChatFailure.ServerFull, "the server is full (100 users)", ErrorCode.ServerFull, fromServer: true);
        FailureText.Short(full).Should().Be("the server is full (100 users)");
        FailureText.Short(new ChatClientException(ChatFailure.Refused, "Connection refused")).Should().Be("connection refused (server not running?)");
    }

    [Test]
    public void Undelivered_private_messages_name_the_recipient()
    {
        FailureText.ForSend(new ChatClientException(ChatFailure.UserOffline, "x"), "bob").Should().Contain("'bob' is not online");
        FailureText.ForSend(new ChatClientException(ChatFailure.UnknownUser, "x"), "bob").Should().Contain("no user 'bob'");
    }

    [Test]
    public void Plaintext_against_a_TLS_server_says_to_drop_the_flag_without_contradiction()
    {
        var report = FailureText.ForConnect(new ChatClientException(ChatFailure.TlsFailed, "this server requires TLS: drop --plaintext"), Server, "alice");
        report.Message.Should().Be("cannot talk to chat.lan:7000: this server requires TLS: drop --plaintext.");
        report.Message.Should().NotContain("does not speak");
    }

    [Test]
    public void A_port_that_accepts_but_never_answers_blames_neither_a_firewall_nor_punctuation()
    {
        var report = FailureText.ForConnect(new ChatClientException(ChatFailure.Silent, "chat.lan:7000 accepted the connection but sent nothing within 10 s"), Server, "alice");
        report.Message.Should().NotContain("firewall").And.NotContain("?.").And.NotContain("..");
        report.Message.Should().Contain("accepted the connection").And.Contain("port 7000");
    }

    [Test]
    public void A_connect_without_any_answer_may_be_a_firewall_and_ends_in_one_question_mark()
    {
        var report = FailureText.ForConnect(new ChatClientException(ChatFailure.TimedOut, "no answer from chat.lan:7000 within 10 s"), Server, "alice");
        report.Message.Should().Be("timed out talking to chat.lan:7000: no answer from chat.lan:7000 within 10 s. Is the server up, and is a firewall in the way?");
    }

    [Test]
    public void A_non_LanTalk_port_is_not_told_to_use_plaintext()
    {
        var report = FailureText.ForConnect(new ChatClientException(ChatFailure.ProtocolError, "it answers neither TLS nor LanTalk"), Server, "alice");
        report.Message.Should().NotContain("--plaintext").And.Contain("is the port right?");
    }

    [Test]
    public void Lockouts_and_limits_pass_on_when_to_try_again()
    {
        FailureText.ForConnect(new ChatClientException(ChatFailure.RateLimited, "too many failed logins; try again in 8 s", ErrorCode.RateLimited, fromServer: true), Server, "alice")
            .Message.Should().Be("chat.lan:7000 refuses the login for now: too many failed logins; try again in 8 s.");
        FailureText.ForConnect(new ChatClientException(ChatFailure.AlreadyLoggedIn, "'alice' is logged in from 10.0.0.5", ErrorCode.AlreadyLoggedIn, fromServer: true), Server, "alice")
            .Message.Should().Contain("from 10.0.0.5").And.Contain("try again");
        FailureText.ForConnect(new ChatClientException(ChatFailure.ServerFull, "too many connections from your address", ErrorCode.TooManyConnections, fromServer: true), Server, "alice")
            .Message.Should().Contain("try again in a minute");
        FailureText.ForConnect(new ChatClientException(ChatFailure.ServerFull, "32 sessions online.", ErrorCode.ServerFull, fromServer: true), Server, "alice")
            .Message.Should().Be("chat.lan:7000 is full: 32 sessions online. Try again when someone has logged out.");
        FailureText.ForConnect(new ChatClientException(ChatFailure.ServerFull, "the server is full (32 sessions online); try again later", ErrorCode.ServerFull, fromServer: true), Server, "alice")
            .Message.Should().Be("chat.lan:7000 is full: the server is full (32 sessions online); try again later.", "the advice is given once");
    }

    [Test]
    public void Answering_no_to_the_trust_question_explains_what_happened_and_how_to_trust_later()
    {
        var trust = new ServerTrust(Server, new KnownServers(Path.Combine(Path.GetTempPath(), "lantalk-test-none", "known")), pinned: null);
        trust.Check("chat.lan", "AA:BB");
        string text = trust.DeclinedText();
        text.Should().Contain("you did not trust").And.Contain("answer y").And.Contain("--trust AA:BB");
        text.Should().NotContain("on a terminal");
    }
}
