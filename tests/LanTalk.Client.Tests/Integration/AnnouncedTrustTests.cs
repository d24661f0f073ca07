using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A fingerprint announced on the LAN, against the real TLS server on 127.0.0.1: shown in the question, pinned
/// without asking only when the announcement asks for it (pin=auto) AND the user consented (--trust-announced), and
/// never a replacement for a fingerprint already trusted.
/// </summary>
public sealed class AnnouncedTrustTests
{
    private const string Other = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
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

    private ServerConnector Connector(string? announced, bool pin, Func<string, bool>? confirm = null, bool userConsents = false) => new(new ConnectOptions
    {
        Server = Address,
        KnownServersFile = _home.AppPaths.KnownServersFile,
        AnnouncedFingerprint = announced,
        AnnouncedPinAuto = pin,
        TrustAnnounced = userConsents,
        ConfirmNewServer = confirm,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    [Test]
    public async Task The_question_says_the_fingerprint_was_announced_on_the_LAN()
    {
        string? asked = null;
        await using var client = await Connector(_server.Fingerprint, pin: false, q => { asked = q; return true; }).ConnectAsync(CancellationToken.None);

        asked.Should().Contain(_server.Fingerprint).And.Contain("announced on the LAN");
    }

    [Test]
    public async Task A_different_announced_fingerprint_is_a_warning_in_the_question()
    {
        string? asked = null;
        var connect = () => Connector(Other, pin: true, q => { asked = q; return false; }).ConnectAsync(CancellationToken.None);

        (await connect.Should().ThrowAsync<ChatClientException>()).Which.Failure.Should().Be(ChatFailure.UntrustedServer);
        asked.Should().Contain("WARNING").And.Contain(Other);
        new KnownServers(_home.AppPaths.KnownServersFile).Find(Address).Should().BeNull();
    }

    [Test]
    public async Task With_pin_auto_and_the_users_consent_a_matching_announcement_is_pinned_without_asking()
    {
        await using (var client = await Connector(_server.Fingerprint, pin: true, confirm: null, userConsents: true).ConnectAsync(CancellationToken.None))
        {
            client.IsConnected.Should().BeTrue();
        }

        new KnownServers(_home.AppPaths.KnownServersFile).Find(Address).Should().Be(_server.Fingerprint);
    }

    [Test]
    public async Task Pin_auto_without_the_users_consent_is_refused_to_a_script_and_says_how_to_consent()
    {
        var connect = () => Connector(_server.Fingerprint, pin: true, confirm: null).ConnectAsync(CancellationToken.None);

        var failure = (await connect.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.UntrustedServer);
        failure.Message.Should().Contain("--trust " + _server.Fingerprint).And.Contain("pin=auto").And.Contain("--trust-announced");
        new KnownServers(_home.AppPaths.KnownServersFile).Find(Address).Should().BeNull();
    }

    [Test]
    public async Task Pin_auto_without_the_users_consent_still_asks_a_person()
    {
        string? asked = null;
        var connect = () => Connector(_server.Fingerprint, pin: true, q => { asked = q; return false; }).ConnectAsync(CancellationToken.None);

        (await connect.Should().ThrowAsync<ChatClientException>()).Which.Failure.Should().Be(ChatFailure.UntrustedServer);
        asked.Should().Contain(_server.Fingerprint).And.Contain("asks to be trusted on first use").And.Contain("anyone on the LAN");
        new KnownServers(_home.AppPaths.KnownServersFile).Find(Address).Should().BeNull();
    }

    [Test]
    public async Task A_script_refused_because_the_announced_fingerprint_differs_is_told_so_as_a_person_is()
    {
        // A script with --trust-announced met a certificate that is not the announced one: the refusal must warn as the
        // question does, say why --trust-announced was not honoured, and not just hand over "--trust <certificate>".
        var connect = () => Connector(Other, pin: true, confirm: null, userConsents: true).ConnectAsync(CancellationToken.None);

        var failure = (await connect.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.UntrustedServer);
        failure.Message.Should().Contain("WARNING").And.Contain(Other).And.Contain("Someone else may be answering for the server")
            .And.Contain("--trust-announced").And.Contain("not the one announced");
        new KnownServers(_home.AppPaths.KnownServersFile).Find(Address).Should().BeNull();
    }

    [Test]
    public async Task Without_pin_auto_the_users_consent_alone_leaves_a_script_refused()
    {
        var connect = () => Connector(_server.Fingerprint, pin: false, confirm: null, userConsents: true).ConnectAsync(CancellationToken.None);

        (await connect.Should().ThrowAsync<ChatClientException>()).Which.Failure.Should().Be(ChatFailure.UntrustedServer);
    }

    [Test]
    public async Task An_announcement_never_replaces_a_trusted_fingerprint()
    {
        new KnownServers(_home.AppPaths.KnownServersFile).Remember(Address, Other);

        var connect = () => Connector(_server.Fingerprint, pin: true, confirm: _ => true, userConsents: true).ConnectAsync(CancellationToken.None);

        (await connect.Should().ThrowAsync<ChatClientException>()).Which.Message.Should().Contain("IDENTITY HAS CHANGED");
        new KnownServers(_home.AppPaths.KnownServersFile).Find(Address).Should().Be(Other);
    }
}
