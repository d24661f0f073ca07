using System.Net;
using System.Net.Sockets;
using LanTalk.Client.App;
using LanTalk.Client.Connection;
using LanTalk.Client.Doctor;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Discovery;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// `lantalk doctor` against the real TLS server on 127.0.0.1 (the LAN browse is replaced by a fixed answer).
/// The dropped-packet, plaintext-server and avahi cases need namespaces: scripts/discovery-test.sh runs those.
/// </summary>
public sealed class DoctorTests
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

    // What the LAN announces during a test: nothing, unless a test says otherwise.
    private BrowseResult _browsed = new([], 0, ["eth0"], null);

    private async Task<(int Code, string Out)> Doctor(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var env = new AppEnvironment
        {
            In = new StringReader(stdin),
            Out = output,
            Error = output,
            IsInputRedirected = true,
            IsOutputRedirected = true,
            GetVariable = _ => null,
            Paths = _home.AppPaths,
            Browse = (_, _) => Task.FromResult(_browsed),
        };
        int code = await LanTalkApp.RunAsync(["doctor", .. args], env).WaitAsync(TimeSpan.FromSeconds(30));
        return (code, output.ToString());
    }

    [Test]
    public async Task A_healthy_server_passes_every_step_and_the_login()
    {
        new KnownServers(_home.AppPaths.KnownServersFile).Remember(new ServerAddress("127.0.0.1", _server.Port), _server.Fingerprint);

        var (code, output) = await Doctor(TestServer.Password + "\n", _server.Address, "--user", "alice", "--password-stdin");

        code.Should().Be(0, output);
        output.Should().MatchRegex(@"ok +connect +TCP connection to 127\.0\.0\.1:\d+")
            .And.MatchRegex("ok +tls +TLS works, and the certificate fingerprint is the one you trusted")
            .And.MatchRegex("ok +hello .*protocol versions 2-3")
            .And.MatchRegex(@"ok +latency +round trip [\d.]+ ms")
            .And.MatchRegex("ok +login +logged in as alice")
            .And.MatchRegex("warn +discovery +no multicast DNS answer reached this host")
            .And.Contain("All checks passed.");
    }

    [Test]
    public async Task A_server_checked_at_localhost_is_found_in_its_announcement_with_this_hosts_LAN_address()
    {
        var lan = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => u.Address).FirstOrDefault(a => !System.Net.IPAddress.IsLoopback(a));
        Assume.That(lan, Is.Not.Null, "needs an address of this host other than loopback");
        new KnownServers(_home.AppPaths.KnownServersFile).Remember(new ServerAddress("127.0.0.1", _server.Port), _server.Fingerprint);
        _browsed = new BrowseResult([new DiscoveredServer("LanTalk", "vm.local.", _server.Port, [lan!], new Dictionary<string, string>())], 1, ["eth0"], null);

        var (code, output) = await Doctor(string.Empty, _server.Address);

        code.Should().Be(0, output);
        output.Should().MatchRegex("ok +discovery +announced on the LAN as \"LanTalk\"");
    }

    [Test]
    public async Task On_a_host_that_cannot_browse_the_discovery_step_gives_the_cause_and_no_LAN_guesses()
    {
        new KnownServers(_home.AppPaths.KnownServersFile).Remember(new ServerAddress("127.0.0.1", _server.Port), _server.Fingerprint);
        _browsed = new BrowseResult([], 0, [], "no interface has an IPv4 address (eth0: IPv6 only), and discovery uses IPv4 multicast only") { HostCannotBrowse = true };

        var (code, output) = await Doctor(string.Empty, _server.Address);

        code.Should().Be(0, output);
        output.Should().MatchRegex(@"warn +discovery +this host cannot look for servers on the LAN: no interface has an IPv4 address \(eth0: IPv6 only\)")
            .And.NotContain("firewall").And.NotContain("another subnet").And.NotContain("only loopback");
    }

    [Test]
    public async Task A_wrong_password_fails_the_login_step_with_exit_4()
    {
        var (code, output) = await Doctor("wrong\n", _server.Address, "--user", "alice", "--password-stdin");

        code.Should().Be((int)ExitCode.AuthFailed, output);
        output.Should().MatchRegex("FAIL +login").And.Contain("lantalk-server user add");
    }

    [Test]
    public async Task A_changed_fingerprint_stops_at_tls()
    {
        const string old = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
        new KnownServers(_home.AppPaths.KnownServersFile).Remember(new ServerAddress("127.0.0.1", _server.Port), old);

        var (code, output) = await Doctor(string.Empty, _server.Address);

        code.Should().Be((int)ExitCode.Unreachable, output);
        output.Should().MatchRegex("FAIL +tls +the server's certificate fingerprint CHANGED").And.Contain(old).And.Contain("--trust " + _server.Fingerprint);
        output.Should().NotContain("hello ").And.Contain("Stopped at the first failure");
    }

    [Test]
    public async Task Nothing_listening_is_refused_with_what_it_means()
    {
        int port = FreePort();

        var (code, output) = await Doctor(string.Empty, $"127.0.0.1:{port}");

        code.Should().Be((int)ExitCode.Unreachable, output);
        output.Should().MatchRegex($"FAIL +connect +connection refused by 127.0.0.1:{port}: the machine answered, but nothing listens on port {port}");
    }

    [Test]
    public async Task The_connect_step_tries_each_address_of_the_name_until_one_answers_and_says_which_failed()
    {
        // The server listens on 127.0.0.1 only, so 127.0.0.2 (loopback too) refuses: a first address without a server.
        var (step, address) = await DoctorChecks.ConnectAsync([IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], _server.Port);

        step.Status.Should().Be(StepStatus.Pass);
        address.Should().Be(IPAddress.Loopback);
        step.Detail.Should().StartWith($"TCP connection to 127.0.0.1:{_server.Port}").And.Contain($"tried first: connection refused by 127.0.0.2:{_server.Port}");
    }

    [Test]
    public async Task The_connect_step_fails_only_when_no_address_of_the_name_answers_and_names_each()
    {
        var (step, address) = await DoctorChecks.ConnectAsync([IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")], _server.Port);

        step.Status.Should().Be(StepStatus.Fail);
        address.Should().BeNull();
        step.Detail.Should().StartWith("none of the 2 addresses answered").And.Contain("127.0.0.2").And.Contain("127.0.0.3");
        step.Advice.Should().NotBeNullOrEmpty();
    }

    [Test]
    public async Task A_plaintext_check_of_a_TLS_server_says_to_drop_plaintext()
    {
        var (code, output) = await Doctor(string.Empty, _server.Address, "--plaintext");

        code.Should().Be((int)ExitCode.Unreachable, output);
        output.Should().MatchRegex("FAIL +hello +the server requires TLS").And.Contain("Drop --plaintext");
    }

    [Test]
    public async Task Json_reports_every_step()
    {
        var (code, output) = await Doctor(string.Empty, _server.Address, "--json");

        code.Should().Be(0, output);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        doc.RootElement.GetProperty("ok").GetBoolean().Should().BeTrue();
        doc.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString())
            .Should().Equal("name", "connect", "tls", "hello", "latency", "discovery");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
