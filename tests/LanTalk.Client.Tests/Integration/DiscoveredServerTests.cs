using System.Net;
using LanTalk.Client.App;
using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Discovery;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// Whole lantalk commands with no server given, so they browse the LAN, which answers with a fixed (spoofable)
/// announcement of the real TLS server on 127.0.0.1: what an announcement can and cannot make the client do.
/// </summary>
public sealed class DiscoveredServerTests
{
    // OSC 0 (window title), BEL, CSI 2J (clear screen): what a hostile announcer sent (a security audit, 2026-12-06).
    private const string Hostile = "evil\u001b]0;PWNED\u0007\u001b[2Jname";
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

    /// <summary>The test server as the LAN announces it, asking to be trusted on first use (pin=auto) unless told otherwise.</summary>
    private DiscoveredServer Announcement(string instance = "chat-server", string host = "localhost", bool pin = true) =>
        new(instance, host, _server.Port, [IPAddress.Loopback], LanTalkService.ParseTxt(LanTalkService.TxtFor(true, _server.Fingerprint, pin)));

    private async Task<(int Code, string Output)> Run(DiscoveredServer found, string stdin, bool terminal, params string[] args)
    {
        var output = new StringWriter();
        var env = new AppEnvironment
        {
            In = new StringReader(stdin),
            Out = output,
            Error = output,
            IsInputRedirected = !terminal,
            IsOutputRedirected = true,
            // At a "terminal" the password comes from the variable, so stdin holds only the answer to the trust question.
            GetVariable = name => name == Credentials.PasswordVariable ? TestServer.Password : null,
            Paths = _home.AppPaths,
            Reconnect = ReconnectPolicy.Never,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            Browse = (_, _) => Task.FromResult(new BrowseResult([found], 1, ["eth0"], null)),
        };
        int code = await LanTalkApp.RunAsync(args, env).WaitAsync(TimeSpan.FromSeconds(30));
        return (code, output.ToString());
    }

    private string? Trusted => new KnownServers(_home.AppPaths.KnownServersFile).Find(new ServerAddress("127.0.0.1", _server.Port));

    [Test]
    public async Task A_pin_auto_announcement_alone_does_not_make_a_script_trust_the_server_and_send_the_password()
    {
        var (code, output) = await Run(Announcement(), string.Empty, terminal: false, "send", "--user", "alice", "hello");

        code.Should().Be((int)ExitCode.Unreachable, output);
        output.Should().Contain("Nobody can be asked here").And.Contain("--trust " + _server.Fingerprint).And.Contain("--trust-announced");
        Trusted.Should().BeNull("only the user can consent to an unauthenticated announcement");
    }

    [Test]
    public async Task A_pin_auto_announcement_alone_still_asks_a_person_and_a_no_sends_nothing()
    {
        var (code, output) = await Run(Announcement(), "n\n", terminal: true, "send", "--user", "alice", "hello");

        code.Should().Be((int)ExitCode.Unreachable, output);
        output.Should().Contain("asks to be trusted on first use").And.Contain("Trust this server and remember its fingerprint? [y/N]")
            .And.Contain("you did not trust its certificate");
        Trusted.Should().BeNull();
    }

    [Test]
    public async Task With_trust_announced_a_matching_pin_auto_announcement_is_trusted_without_asking()
    {
        var (code, output) = await Run(Announcement(), string.Empty, terminal: false, "send", "--user", "alice", "--trust-announced", "hello");

        code.Should().Be(0, output);
        output.Should().NotContain("Trust this server");
        Trusted.Should().Be(_server.Fingerprint);
    }

    [Test]
    public async Task Trust_announced_does_not_skip_the_question_when_the_server_does_not_ask_for_it()
    {
        var (code, output) = await Run(Announcement(pin: false), string.Empty, terminal: false, "send", "--user", "alice", "--trust-announced", "hello");

        code.Should().Be((int)ExitCode.Unreachable, output);
        output.Should().Contain("Nobody can be asked here");
        Trusted.Should().BeNull();
    }

    [TestCase("servers")]
    [TestCase("send", "--user", "alice", "hello")]
    [TestCase("--user", "alice")]
    public async Task Escape_sequences_in_an_announcement_are_shown_never_sent_to_the_terminal(params string[] args)
    {
        // The SRV host name is the announcer's too; a name that is not a host name is not remembered or printed as one.
        var found = Announcement(instance: Hostile, host: "evil\u001b[2J\u0007.local", pin: false);

        var (_, output) = await Run(found, string.Empty, terminal: false, args);

        output.Should().Contain("evil\u241b]0;PWNED\u2407\u241b[2Jname").And.NotContain("\u001b").And.NotContain("\u0007");
        File.Exists(_home.AppPaths.SettingsFile).Should().BeFalse("nothing was connected to");
    }

    [Test]
    public async Task Escape_sequences_in_an_announcement_are_shown_in_the_chooser_and_the_trust_question()
    {
        // Two servers: the list and "Which one?"; then the trust question for the one picked.
        var other = Announcement(instance: "other\u001b[31m", host: "other\u009b2J.local", pin: false) with { Port = 1 };

        var output = new StringWriter();
        var env = new AppEnvironment
        {
            In = new StringReader("2\nn\n"),
            Out = output,
            Error = output,
            IsInputRedirected = false,
            IsOutputRedirected = true,
            GetVariable = name => name == Credentials.PasswordVariable ? TestServer.Password : null,
            Paths = _home.AppPaths,
            Reconnect = ReconnectPolicy.Never,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            Browse = (_, _) => Task.FromResult(new BrowseResult([other, Announcement(instance: Hostile, host: "evil\u001b[2J.local", pin: false)], 2, ["eth0"], null)),
        };
        int code = await LanTalkApp.RunAsync(["send", "--user", "alice", "hello"], env).WaitAsync(TimeSpan.FromSeconds(30));

        code.Should().Be((int)ExitCode.Unreachable, output.ToString());
        output.ToString().Should().Contain("Which one?").And.Contain("Trust this server")
            .And.Contain("other\u241b[31m").And.Contain("evil\u241b]0;PWNED")
            .And.NotContain("\u001b").And.NotContain("\u0007").And.NotContain("\u009b");
    }
}
