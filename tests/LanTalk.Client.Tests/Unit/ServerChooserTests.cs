using System.Net;
using LanTalk.Client.App;
using LanTalk.Client.Cli;
using LanTalk.Client.Discovery;
using LanTalk.Client.Settings;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Discovery;

namespace LanTalk.Client.Tests.Unit;

/// <summary>Browse on start and 'lantalk servers', with the LAN replaced by a fixed answer (no sockets).</summary>
internal sealed class ServerChooserTests
{
    private static readonly string Fingerprint = string.Join(':', Enumerable.Repeat("5A", 32));
    private TempDirectory _home = null!;
    private int _browses;

    [SetUp]
    public void SetUp()
    {
        _home = new TempDirectory();
        _browses = 0;
    }

    [TearDown]
    public void TearDown() => _home.Dispose();

    private static DiscoveredServer Server(string name, string address, int port = 65534, bool tls = true, bool pin = false) =>
        new(name, $"{name.ToLowerInvariant()}.local", port, [IPAddress.Parse(address)], LanTalkService.ParseTxt(LanTalkService.TxtFor(tls, Fingerprint, pin)));

    private (AppEnvironment Env, StringWriter Out, StringWriter Error) Env(string input, bool redirected, params DiscoveredServer[] found)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new AppEnvironment
        {
            In = new StringReader(input),
            Out = output,
            Error = error,
            IsInputRedirected = redirected,
            IsOutputRedirected = true,
            GetVariable = _ => null,
            Paths = _home.AppPaths,
            Browse = (_, _) =>
            {
                _browses++;
                return Task.FromResult(new BrowseResult(found, found.Length, ["eth0"], null));
            },
        };
        return (env, output, error);
    }

    [Test]
    public async Task One_server_found_is_announced_and_used()
    {
        var (env, _, error) = Env(string.Empty, redirected: true, Server("Office", "192.168.1.20", pin: true));

        var command = await ServerChooser.ChooseAsync(new CommandLine(), env);

        command!.Server.Should().Be("office.local", "a found server is remembered by name, so a new address is found again");
        command.Announced!.Fingerprint.Should().Be(Fingerprint);
        command.Announced.PinOnFirstUse.Should().BeTrue();
        error.ToString().Should().Contain("Found one: Office at 192.168.1.20");
    }

    [Test]
    public async Task A_server_without_TLS_is_reached_in_plaintext_and_a_port_is_kept()
    {
        var (env, _, _) = Env(string.Empty, redirected: true, Server("Lab", "10.0.0.7", port: 7000, tls: false));

        var command = await ServerChooser.ChooseAsync(new CommandLine(), env);

        command!.Server.Should().Be("lab.local:7000");
        command.Plaintext.Should().BeTrue();
    }

    [Test]
    public async Task Several_servers_are_listed_and_the_user_picks_one()
    {
        var (env, _, error) = Env("x\n2\n", redirected: false, Server("Alpha", "10.0.0.1"), Server("Beta", "10.0.0.2"));

        var command = await ServerChooser.ChooseAsync(new CommandLine(), env);

        command!.Server.Should().Be("beta.local");
        error.ToString().Should().Contain("1. Alpha").And.Contain("2. Beta").And.Contain("Type a number from 1 to 2");
    }

    [TestCase("office.example", "192.168.1.20", "192.168.1.20")]
    [TestCase("office.local.", "192.168.1.20", "office.local")]
    public async Task A_server_is_remembered_by_address_when_its_name_cannot_be_resolved_by_multicast(string host, string address, string expected)
    {
        // The client's own lookup asks for NAME.local's A and AAAA records: another name keeps the address.
        var found = new DiscoveredServer("Office", host, 65534, [IPAddress.Parse(address)], LanTalkService.ParseTxt(LanTalkService.TxtFor(true, Fingerprint, false)));
        var (env, _, _) = Env(string.Empty, redirected: true, found);

        (await ServerChooser.ChooseAsync(new CommandLine(), env))!.Server.Should().Be(expected);
    }

    [Test]
    public async Task A_server_announced_with_only_an_IPv6_address_is_remembered_by_name_and_resolved_to_every_address()
    {
        // A server with ListenAddress fd28::9:11 announces that address only; its name resolves over A and AAAA.
        var found = new DiscoveredServer("V6", "v6only.local", 45170, [IPAddress.Parse("fd28::9:11")], LanTalkService.ParseTxt(LanTalkService.TxtFor(true, Fingerprint, false)));
        var (env, _, _) = Env(string.Empty, redirected: true, found);

        (await ServerChooser.ChooseAsync(new CommandLine(), env))!.Server.Should().Be("v6only.local:45170");
    }

    [Test]
    public void Announced_names_are_listed_with_control_characters_visible()
    {
        // Anyone on the LAN can announce: an OSC title, a bell, a CSI clear screen and a C1 CSI (0x9B) in the instance
        // name and the SRV host must reach the table as symbols, as 'lantalk doctor' shows them.
        var hostile = new DiscoveredServer("evil\u001b]0;PWNED\u0007\u001b[2Jname", "host\u001b[31m\u009b2J.local", 65534, [],
            LanTalkService.ParseTxt(LanTalkService.TxtFor(true, Fingerprint, true)));

        string table = ServerList.Table([hostile]);

        table.Should().Contain("evil\u241b]0;PWNED\u2407\u241b[2Jname").And.Contain("host\u241b[31m");
        table.Where(char.IsControl).Should().OnlyContain(c => c == '\n' || c == '\r', "no control character from the LAN reaches the terminal");
        ServerList.Address(hostile).Where(char.IsControl).Should().BeEmpty("without an address the host name is what lantalk prints and connects to");
    }

    [Test]
    public void A_host_name_that_is_not_a_plain_host_name_is_remembered_by_address()
    {
        // The remembered name is printed in the trust question, every error and the banner, and saved in Settings.xml.
        var found = new DiscoveredServer("Office", "off\u001b[2Jice.local", 65534, [IPAddress.Parse("192.168.1.20")],
            LanTalkService.ParseTxt(LanTalkService.TxtFor(true, Fingerprint, false)));

        ServerList.Remembered(found).Should().Be("192.168.1.20");
    }

    [Test]
    public async Task Several_servers_and_no_terminal_asks_for_server()
    {
        var (env, _, error) = Env(string.Empty, redirected: true, Server("Alpha", "10.0.0.1"), Server("Beta", "10.0.0.2"));

        (await ServerChooser.ChooseAsync(new CommandLine(), env)).Should().BeNull();
        error.ToString().Should().Contain("--server").And.Contain("Beta");
    }

    [Test]
    public async Task None_found_explains_subnets_firewalls_and_how_to_give_the_address()
    {
        var (env, _, error) = Env(string.Empty, redirected: true);

        (await ServerChooser.ChooseAsync(new CommandLine(), env)).Should().BeNull();
        error.ToString().Should().Contain("another subnet").And.Contain("firewall").And.Contain("lantalk HOST[:PORT]").And.Contain("lantalk doctor");
    }

    [Test]
    public async Task A_given_or_remembered_server_is_used_without_browsing()
    {
        var (env, _, _) = Env(string.Empty, redirected: true, Server("Office", "192.168.1.20"));
        (await ServerChooser.ChooseAsync(new CommandLine { Server = "chat.lan" }, env))!.Server.Should().Be("chat.lan");

        SettingsStore.Save(env.Paths.SettingsFile, ClientSettings.Default with { Host = "remembered.lan" });
        (await ServerChooser.ChooseAsync(new CommandLine(), env))!.Server.Should().BeNull("SessionPlan fills in the remembered server");
        _browses.Should().Be(0);
    }

    [Test]
    public async Task Servers_lists_in_text_and_json()
    {
        var (env, output, _) = Env(string.Empty, redirected: true, Server("Office", "192.168.1.20"), Server("Lab", "10.0.0.7", port: 7000, tls: false));
        (await ServersCommand.RunAsync(new CommandLine { Kind = CommandKind.Servers }, env)).Should().Be(ExitCode.Ok);
        output.ToString().Should().Contain("Office  ->  lantalk 192.168.1.20   (office.local, TLS)").And.Contain("Lab  ->  lantalk 10.0.0.7:7000   (lab.local, plaintext)");

        var (jsonEnv, json, _) = Env(string.Empty, redirected: true, Server("Office", "192.168.1.20"));
        (await ServersCommand.RunAsync(new CommandLine { Kind = CommandKind.Servers, Json = true }, jsonEnv)).Should().Be(ExitCode.Ok);
        using var doc = System.Text.Json.JsonDocument.Parse(json.ToString());
        var server = doc.RootElement.GetProperty("servers")[0];
        server.GetProperty("name").GetString().Should().Be("Office");
        server.GetProperty("connect").GetString().Should().Be("192.168.1.20");
        server.GetProperty("fingerprint").GetString().Should().Be(Fingerprint);
        server.GetProperty("tls").GetBoolean().Should().BeTrue();
    }

    [Test]
    public async Task Two_hosts_answering_for_one_name_are_both_listed_with_a_warning_and_picked_by_address()
    {
        var real = Server("Chat", "10.0.0.11") with { Conflict = true };
        var other = Server("Chat", "10.0.0.12") with { Conflict = true };
        var (env, output, error) = Env(string.Empty, redirected: true, real, other);

        (await ServersCommand.RunAsync(new CommandLine { Kind = CommandKind.Servers }, env)).Should().Be(ExitCode.Ok);

        error.ToString().Should().Contain("WARNING: more than one host answers for \"Chat\"");
        output.ToString().Should().Contain("lantalk 10.0.0.11 ").And.Contain("lantalk 10.0.0.12 ").And.Contain("CONFLICT");

        var (pickEnv, _, pickError) = Env("2\n", redirected: false, real, other);
        var command = await ServerChooser.ChooseAsync(new CommandLine(), pickEnv);
        command!.Server.Should().Be("10.0.0.12", "chat.local would resolve to either host");
        pickError.ToString().Should().Contain("WARNING: more than one host answers");
    }

    [Test]
    public async Task Servers_exits_3_when_nothing_answers()
    {
        var (env, _, error) = Env(string.Empty, redirected: true);

        (await ServersCommand.RunAsync(new CommandLine { Kind = CommandKind.Servers }, env)).Should().Be(ExitCode.Unreachable);
        error.ToString().Should().Contain("No LanTalk server answered");
    }

    [Test]
    public async Task A_host_that_cannot_browse_is_told_why_instead_of_the_LAN_causes()
    {
        const string Why = "no interface has an IPv4 address (eth0: IPv6 only), and discovery uses IPv4 multicast only";
        var (env, _, error) = Env(string.Empty, redirected: true);
        env = env with { Browse = (_, _) => Task.FromResult(new BrowseResult([], 0, [], Why) { HostCannotBrowse = true }) };

        (await ServerChooser.ChooseAsync(new CommandLine(), env)).Should().BeNull();

        error.ToString().Should().Contain($"lantalk cannot look for servers on the LAN from this host: {Why}.")
            .And.Contain("lantalk HOST[:PORT]")
            .And.NotContain("firewall").And.NotContain("another subnet").And.NotContain("No LanTalk server answered");
    }

    [TestCase(new[] { "servers" }, CommandKind.Servers, null)]
    [TestCase(new[] { "servers", "--json" }, CommandKind.Servers, null)]
    [TestCase(new[] { "doctor" }, CommandKind.Doctor, null)]
    [TestCase(new[] { "doctor", "chat.lan:7000", "--json" }, CommandKind.Doctor, "chat.lan:7000")]
    public void Servers_and_doctor_parse(string[] args, CommandKind kind, string? server)
    {
        CliParser.TryParse(args, out var command, out string error).Should().BeTrue(error);
        command.Kind.Should().Be(kind);
        command.Server.Should().Be(server);
    }

    [TestCase(new[] { "--json" }, "--json only applies")]
    [TestCase(new[] { "servers", "extra" }, "unexpected argument 'extra'")]
    [TestCase(new[] { "doctor", "a", "b" }, "give the server once")]
    public void Misuse_is_a_clear_error(string[] args, string message)
    {
        CliParser.TryParse(args, out _, out string error).Should().BeFalse();
        error.Should().Contain(message);
    }
}
