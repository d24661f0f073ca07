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
    public void Undelivered_private_messages_name_the_recipient()
    {
        FailureText.ForSend(new ChatClientException(ChatFailure.UserOffline, "x"), "bob").Should().Contain("'bob' is not online");
        FailureText.ForSend(new ChatClientException(ChatFailure.UnknownUser, "x"), "bob").Should().Contain("no user 'bob'");
    }
}
