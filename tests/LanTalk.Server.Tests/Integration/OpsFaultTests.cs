using System.Text.RegularExpressions;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// Bad files and failing log targets, against the real lantalk-server process: each is one clear line (or a loud
/// warning), never a stack trace or silence. The root-only faults (read-only mounts, a full tmpfs, no libssl, kill -9
/// during the first start) are in scripts/faults.sh (make faults).
/// </summary>
[TestFixture]
public sealed partial class OpsFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private TempDirectory _data = null!;

    [SetUp]
    public void SetUp() => _data = new TempDirectory();

    [TearDown]
    public void TearDown() => _data.Dispose();

    private OpsProcess StartServer(params string[] extra) =>
        OpsProcess.Start(["--data", _data.Path, "--listen", "127.0.0.1", "--port", "0", .. extra]);

    private static void NoStackTrace(string output) => output.Should().NotContain("Unhandled exception").And.NotContain("   at ");

    [Test]
    public async Task A_key_that_does_not_match_the_certificate_exits_2_with_one_line()
    {
        await using (var first = StartServer())
        {
            await first.WaitForPortAsync();
        }

        using var other = new TempDirectory();
        await using (var second = OpsProcess.Start("--data", other.Path, "--listen", "127.0.0.1", "--port", "0"))
        {
            await second.WaitForPortAsync();
        }

        File.Copy(other.File("server.key"), _data.File("server.key"), overwrite: true);

        var (code, output) = await OpsProcess.RunAsync(null, "--data", _data.Path, "--listen", "127.0.0.1", "--port", "0");

        code.Should().Be(2, output);
        output.Should().Contain($"TLS: the private key in {_data.File("server.key")} does not belong to the certificate").And.NotContain("CertificatePath");
        NoStackTrace(output);
        (await OpsProcess.RunAsync(null, "config", "check", "--data", _data.Path)).ExitCode.Should().Be(2);
    }

    [Test]
    public async Task Iterations_0_in_Users_xml_stops_start_up_naming_the_file_and_field()
    {
        File.WriteAllText(_data.File("Users.xml"),
            "<Users version=\"1\">\n<User name=\"alice\" created=\"2026-01-01T00:00:00Z\"><Password iterations=\"0\" salt=\"AAAAAAAAAAAAAAAAAAAAAA==\" hash=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" /></User>\n</Users>\n");

        var (code, output) = await OpsProcess.RunAsync(null, "--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");

        code.Should().Be(2, output);
        output.Should().Contain($"{_data.File("Users.xml")}, line 2").And.Contain("iterations=\"0\"").And.Contain("user passwd alice");
        NoStackTrace(output);
    }

    [Test]
    public async Task Plaintext_with_an_IrcTlsPort_in_Settings_xml_stops_start_up_with_one_line_not_a_stack_trace()
    {
        // Settings.xml alone is fine (TlsMode Required gives IrcTlsPort its certificate); --plaintext took the
        // certificate away after the file's checks, and the listener threw an ArgumentException (exit 134).
        File.WriteAllText(_data.File("Settings.xml"), "<Settings>\n<IrcTlsPort>0</IrcTlsPort>\n</Settings>\n");

        var (code, output) = await OpsProcess.RunAsync(null, "--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");

        code.Should().Be(2, output);
        output.Should().Contain($"settings: {_data.File("Settings.xml")}: <IrcTlsPort> is 0").And.Contain("<IrcTlsPort>-1</IrcTlsPort>")
            .And.Contain("run without --plaintext").And.NotContain("Listening on");
        NoStackTrace(output);
    }

    [Test]
    public async Task A_directory_named_Settings_xml_stops_start_up()
    {
        Directory.CreateDirectory(_data.File("Settings.xml"));

        var (code, output) = await OpsProcess.RunAsync(null, "--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");

        code.Should().Be(2, output);
        output.Should().Contain($"{_data.File("Settings.xml")} is a directory");
    }

    [Test]
    public async Task An_unwritable_log_directory_is_a_console_warning_at_start_and_a_config_check_error()
    {
        // A regular file where the log directory should be: unwritable even for root, unlike a chmod.
        File.WriteAllText(_data.File("blocker"), string.Empty);
        File.WriteAllText(_data.File("Settings.xml"), "<Settings><LogDirectory>blocker/logs</LogDirectory></Settings>");

        var (checkCode, checkOutput) = await OpsProcess.RunAsync(null, "config", "check", "--data", _data.Path);
        checkCode.Should().Be(2, checkOutput);
        checkOutput.Should().Contain("logging: the log file").And.Contain("<LogDirectory>");

        await using var server = StartServer("--plaintext");
        await server.WaitForPortAsync();
        server.Output.Should().MatchRegex("WARN .*the log file .*blocker/logs/lantalk-server.log cannot be written");
    }

    [Test]
    public async Task An_empty_nlog_element_still_gives_console_output()
    {
        File.WriteAllText(_data.File("NLog.config"), "<nlog></nlog>");

        await using var server = StartServer("--plaintext");

        await server.WaitForPortAsync();
        server.Output.Should().Contain("sends none of lantalk-server's Info lines anywhere");
    }

    [Test]
    public async Task A_log_target_that_fails_every_write_is_reported_on_the_console_rate_limited()
    {
        // /dev/full fails every write with ENOSPC: a full disk without needing root or a mount.
        File.WriteAllText(_data.File("NLog.config"), """
            <nlog xmlns="http://www.nlog-project.org/schemas/NLog.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <targets><target name="file" xsi:type="File" fileName="/dev/full" keepFileOpen="true" /></targets>
              <rules><logger name="*" minlevel="Info" writeTo="file" /></rules>
            </nlog>
            """);

        await using var server = StartServer("--plaintext");
        // Start-up alone writes several log lines, each a failed write; the console gets the first failure only.
        await server.WaitForLineAsync(LoggingFailed(), Timeout);
        var (code, _) = await OpsProcess.RunAsync(null, "user", "list", "--data", _data.Path);
        code.Should().Be(0);
        server.Signal(15);
        await server.WaitForExitAsync(Timeout);

        LoggingFailed().Count(server.Output).Should().Be(1, server.Output);
        server.Output.Should().Contain("No space left on device");
    }

    [GeneratedRegex("lantalk-server: logging (failed|still failing)")]
    private static partial Regex LoggingFailed();
}
