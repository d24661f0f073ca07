using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using LanTalk.Core.Client;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>The real lantalk-server process: start-up errors, the user CLI against a running server, and SIGTERM.</summary>
[TestFixture]
public sealed class OpsServerTests
{
    private const string Password = "correct horse";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private TempDirectory _data = null!;

    [SetUp]
    public void SetUp()
    {
        _data = new TempDirectory();
        // Cheap hashes so CLI adds and logins take milliseconds; the warning this prints is expected.
        File.WriteAllText(_data.File("Settings.xml"), "<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n</Settings>\n");
    }

    [TearDown]
    public void TearDown() => _data.Dispose();

    private OpsProcess StartServer(params string[] extra) =>
        OpsProcess.Start(["--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0", .. extra]);

    private Task<(int ExitCode, string Output)> Cli(string? stdin, params string[] args) => OpsProcess.RunAsync(stdin, [.. args, "--data", _data.Path]);

    private static async Task<ChatClient> LoginAsync(int port, string user)
    {
        var client = new ChatClient(new ChatClientOptions { ConnectTimeout = Timeout, RequestTimeout = Timeout });
        await client.ConnectAsync("127.0.0.1", port);
        await client.LoginAsync(user, Password);
        return client;
    }

    private static async Task<DisconnectReasonSummary> EndOf(ChatClient client)
    {
        var completion = client.Completion;
        (await Task.WhenAny(completion, Task.Delay(Timeout))).Should().BeSameAs(completion, "the client is disconnected in time");
        var reason = await completion;
        return new DisconnectReasonSummary(reason.Code, reason.ToString());
    }

    private sealed record DisconnectReasonSummary(ErrorCode Code, string Text);

    [Test]
    public async Task A_bad_setting_exits_2_naming_file_line_element_and_range()
    {
        File.WriteAllText(_data.File("Settings.xml"), "<Settings>\n  <Port>65536</Port>\n</Settings>\n");

        var (code, output) = await OpsProcess.RunAsync(null, "--data", _data.Path);

        code.Should().Be(2);
        output.Should().Contain(_data.File("Settings.xml") + ", line 2").And.Contain("<Port>").And.Contain("'65536'").And.Contain("0 to 65535");
        output.Should().NotContain("   at ");
    }

    [Test]
    public async Task A_port_in_use_is_one_clear_error_and_exit_3()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var (code, output) = await OpsProcess.RunAsync(null, "--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        code.Should().Be(3);
        output.Should().Contain($"lantalk-server: error: port {port} is already in use").And.Contain("--port");
        output.Should().NotContain("   at ");
    }

    [TestCase("run")]
    [TestCase("service")]
    public async Task A_server_that_stops_at_start_says_why_in_its_log_file_and_once_on_the_console(string mode)
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        string[] command = mode == "service" ? ["service", "run"] : ["run"];

        var (code, output) = await OpsProcess.RunAsync(null, [.. command, "--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        code.Should().Be(3);
        // A Windows service's stderr reaches nobody: its operator reads the log, which ended with the start-up lines.
        string log = File.ReadAllText(_data.File(Path.Combine("logs", "lantalk-server.log")));
        log.Should().Contain($"FATAL LanTalk.Server.StartFailure lantalk-server stopped: error: port {port} is already in use");
        output.Split('\n').Count(l => l.Contains($"port {port} is already in use", StringComparison.Ordinal)).Should().Be(1, "stderr has it; the console log target must not repeat it:\n" + output);
    }

    [Test]
    public async Task Without_settings_the_server_says_in_one_line_that_it_runs_on_defaults()
    {
        File.Delete(_data.File("Settings.xml"));
        await using var server = StartServer();
        // It tells how to create the first account, as a command line that can be pasted.
        await server.WaitForLineAsync(new Regex(Regex.Escape($"{OpsProcess.Executable} user add NAME --data {_data.Path}") + "$"), Timeout);

        server.Output.Split('\n').Where(l => l.Contains("built-in defaults", StringComparison.Ordinal)).Should().ContainSingle();
    }

    [Test]
    [Platform(Include = "Linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_Users_xml_others_can_read_is_made_owner_only_at_start_with_a_warning()
    {
        // The ops audit's M4: password hashes restored 0644 (a `cp` from a backup) started without a word.
        (await Cli(Password + "\n", "user", "add", "alice", "--password-stdin")).ExitCode.Should().Be(0);
        string users = _data.File("Users.xml");
        File.SetUnixFileMode(users, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var server = StartServer();

        await server.WaitForLineAsync(new Regex(Regex.Escape(users) + @" was readable by group or others \(mode 0644\).*it is now 0600"), Timeout);
        File.GetUnixFileMode(users).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task A_user_added_with_the_cli_while_the_server_runs_can_log_in_at_once()
    {
        await using var server = StartServer();
        int port = await server.WaitForPortAsync();

        var (code, output) = await Cli(Password + "\n", "user", "add", "dave", "--password-stdin");
        code.Should().Be(0, output);

        await using var client = await LoginAsync(port, "dave");
        await server.WaitForLineAsync(new Regex(@"#\d+ dave@127\.0\.0\.1:\d+ logged in"), Timeout);
    }

    [Test]
    public async Task Removing_an_online_user_with_the_cli_disconnects_them_with_AccountRemoved()
    {
        (await Cli(Password + "\n", "user", "add", "erin", "--password-stdin")).ExitCode.Should().Be(0);
        await using var server = StartServer();
        int port = await server.WaitForPortAsync();
        await using var client = await LoginAsync(port, "erin");

        var (code, output) = await Cli(null, "user", "remove", "erin");
        code.Should().Be(0, output);

        (await EndOf(client)).Code.Should().Be(ErrorCode.AccountRemoved);
        await server.WaitForLineAsync(new Regex("erin@.* the account was removed"), Timeout);
    }

    [TestCase(15, "SIGTERM")]
    [TestCase(2, "SIGINT")]
    public async Task A_stop_signal_tells_every_client_ShuttingDown_and_exits_0_within_2_seconds(int signal, string name)
    {
        string pw = Password + "\n";
        (await OpsProcess.RunAsync(pw, "user", "add-test-users", "--prefix", "t", "--count", "2", "--iterations", "1000", "--password-stdin", "--data", _data.Path))
            .ExitCode.Should().Be(0);
        await using var server = StartServer();
        int port = await server.WaitForPortAsync();
        await using var first = await LoginAsync(port, "t0");
        await using var second = await LoginAsync(port, "t1");

        if (signal == 2 && Hosting.IgnoredStopSignals.Parse(File.ReadAllText($"/proc/{server.Id}/status")).Contains("SIGINT"))
        {
            // The server inherited SIGINT ignored from how this test run was started (a script's `make test &` can do
            // that), and says so; it cannot receive SIGINT, which the test below covers by starting it that way.
            await server.WaitForLineAsync(new Regex("WARN .*SIGINT (and SIGQUIT )?(was|were) ignored when this server started"), Timeout);
            Assert.Ignore("SIGINT is ignored in this test run (started in the background by a shell), so the server cannot receive it");
        }

        var clock = Stopwatch.StartNew();
        server.Signal(signal);
        int code = await server.WaitForExitAsync(TimeSpan.FromSeconds(5));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        code.Should().Be(0, server.Output);
        (await EndOf(first)).Code.Should().Be(ErrorCode.ShuttingDown);
        (await EndOf(second)).Code.Should().Be(ErrorCode.ShuttingDown);
        server.Output.Should().Contain("Stopping: signal " + name).And.Contain("lantalk-server stopped");
    }

    [Test]
    [Platform(Include = "Linux")]
    public async Task Started_with_SIGINT_ignored_it_says_so_and_SIGTERM_still_stops_it()
    {
        (await OpsProcess.RunAsync(Password + "\n", "user", "add-test-users", "--prefix", "t", "--count", "1", "--iterations", "1000", "--password-stdin", "--data", _data.Path))
            .ExitCode.Should().Be(0);
        // As a shell starts a command with `&`: SIGINT and SIGQUIT ignored, which the exec'd server inherits.
        await using var server = OpsProcess.StartWrapped(["/bin/sh", "-c", "trap '' INT QUIT; exec \"$0\" \"$@\""],
            "--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");
        int port = await server.WaitForPortAsync();
        await server.WaitForLineAsync(new Regex(@"WARN .*SIGINT and SIGQUIT were ignored when this server started .* stop it with SIGTERM \(kill PID\)"), Timeout);
        await using var client = await LoginAsync(port, "t0");

        server.Signal(15);

        (await server.WaitForExitAsync(TimeSpan.FromSeconds(5))).Should().Be(0, server.Output);
        (await EndOf(client)).Code.Should().Be(ErrorCode.ShuttingDown);
    }

    [Test]
    public async Task Version_and_help_exit_0()
    {
        var (code, output) = await OpsProcess.RunAsync(null, "--version");
        code.Should().Be(0);
        output.Should().MatchRegex(@"^lantalk-server \d+\.\d+\.\d+ \(commit ");

        (code, output) = await OpsProcess.RunAsync(null, "user", "add", "--help");
        code.Should().Be(0);
        output.Should().Contain("--password-stdin").And.Contain("Examples:");
    }

    [Test]
    public async Task A_bad_command_line_exits_2_with_one_line()
    {
        var (code, output) = await OpsProcess.RunAsync(null, "--port", "nope");

        code.Should().Be(2);
        output.Trim().Should().Be("lantalk-server: --port 'nope' is not a port number (0 to 65535; 0 picks a free port)");
    }

    [Test]
    public async Task User_add_refuses_a_password_shorter_than_MinPasswordLength()
    {
        var (code, output) = await Cli("short\n", "user", "add", "frank", "--password-stdin");

        code.Should().Be(2, output);
        output.Should().Contain("too short").And.Contain("at least 8").And.Contain("nothing was changed");
        (await Cli(string.Empty, "user", "list")).Output.Should().NotContain("frank");
    }
}
