using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;

namespace LanTalk.Client.Tests.Integration;

/// <summary>Trust on first use against the real TLS server: ask once, remember, refuse a changed certificate loudly.</summary>
public sealed class TrustTests
{
    private TestServer _server = null!;
    private TempDirectory _home = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await TestServer.StartTlsAsync("alice");
        _home = new TempDirectory();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _server.DisposeAsync();
        _home.Dispose();
    }

    private ServerAddress Address => new("127.0.0.1", _server.Port);

    private string KnownFile => _home.AppPaths.KnownServersFile;

    private ServerConnector Connector(Func<string, bool>? confirm = null, string? trust = null) => new(new ConnectOptions
    {
        Server = Address,
        KnownServersFile = KnownFile,
        ConfirmNewServer = confirm,
        TrustedFingerprint = trust,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    [Test]
    public async Task An_unknown_server_is_refused_without_a_terminal_and_the_message_shows_its_fingerprint()
    {
        var connect = () => Connector().ConnectAsync(CancellationToken.None);

        var failure = (await connect.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.UntrustedServer);
        failure.Message.Should().Contain(_server.Fingerprint).And.Contain("--trust");
        File.Exists(KnownFile).Should().BeFalse();
    }

    [Test]
    public async Task Accepting_the_fingerprint_once_remembers_it_for_the_next_connection()
    {
        string? asked = null;
        await using (var first = await Connector(question => { asked = question; return true; }).ConnectAsync(CancellationToken.None))
        {
            first.IsConnected.Should().BeTrue();
        }

        // The person is being asked right now: the question shows the fingerprint, not the instructions for scripts.
        asked.Should().Contain(_server.Fingerprint).And.NotContain("--trust");
        await using var second = await Connector(confirm: null).ConnectAsync(CancellationToken.None);
        second.IsConnected.Should().BeTrue();
    }

    [Test]
    public async Task Declining_the_fingerprint_does_not_connect_or_remember()
    {
        var connect = () => Connector(_ => false).ConnectAsync(CancellationToken.None);

        (await connect.Should().ThrowAsync<ChatClientException>()).Which.Failure.Should().Be(ChatFailure.UntrustedServer);
        File.Exists(KnownFile).Should().BeFalse();
    }

    [Test]
    public async Task A_changed_certificate_is_refused_loudly_with_the_command_that_accepts_it()
    {
        new KnownServers(KnownFile).Remember(Address, string.Join(':', Enumerable.Repeat("AB", 32)));

        var connect = () => Connector(_ => true).ConnectAsync(CancellationToken.None);

        var failure = (await connect.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.UntrustedServer);
        failure.Message.Should().Contain("IDENTITY HAS CHANGED").And.Contain($"--trust {_server.Fingerprint}");
    }

    [Test]
    public async Task A_wrong_fingerprint_given_with_trust_is_reported_as_the_users_value_not_as_a_changed_server()
    {
        var connect = () => Connector(trust: string.Join(':', Enumerable.Repeat("AB", 32))).ConnectAsync(CancellationToken.None);

        var failure = (await connect.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.UntrustedServer);
        failure.Message.Should().Contain("not the one given with --trust").And.NotContain("IDENTITY HAS CHANGED");
        FailureText.ForConnect(failure, Address, "alice").Message.Should().NotContain("\u240a", "lantalk's own lines keep their line breaks");
    }

    [Test]
    public async Task A_pinned_fingerprint_connects_and_is_remembered()
    {
        await using (await Connector(trust: _server.Fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant()).ConnectAsync(CancellationToken.None))
        {
        }

        new KnownServers(KnownFile).Find(Address).Should().Be(_server.Fingerprint);
    }

    [Test]
    public async Task Plaintext_at_a_TLS_server_says_the_server_requires_TLS()
    {
        var connect = () => new ServerConnector(new ConnectOptions { Server = Address, Plaintext = true }).ConnectAsync(CancellationToken.None);

        (await connect.Should().ThrowAsync<ChatClientException>()).Which.Message.Should().Contain("requires TLS");
    }
}
