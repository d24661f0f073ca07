using System.Text.RegularExpressions;

namespace LanTalk.Server.Tests.Integration;

/// <summary>SIGHUP: in the foreground it stops the server (its terminal closed); under `service run` it reloads.</summary>
[TestFixture]
[Platform("Linux")]
public sealed class OpsSignalTests
{
    private const int SigHup = 1;
    private const int SigTerm = 15;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private TempDirectory _data = null!;

    [SetUp]
    public void SetUp()
    {
        _data = new TempDirectory();
        File.WriteAllText(_data.File("Settings.xml"), "<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n</Settings>\n");
    }

    [TearDown]
    public void TearDown() => _data.Dispose();

    [Test]
    public async Task In_the_foreground_SIGHUP_stops_the_server_cleanly()
    {
        await using var server = OpsProcess.Start("--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");
        await server.WaitForPortAsync();

        server.Signal(SigHup);

        (await server.WaitForExitAsync(Timeout)).Should().Be(0, server.Output);
        server.Output.Should().Contain("Stopping: signal SIGHUP");
    }

    [Test]
    public async Task Under_service_run_SIGHUP_reloads_settings_and_logging_and_keeps_running()
    {
        await using var server = OpsProcess.Start("service", "run", "--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");
        await server.WaitForPortAsync();
        File.WriteAllText(_data.File("Settings.xml"),
            "<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n  <MaxClients>40</MaxClients>\n  <ServerName>Renamed</ServerName>\n</Settings>\n");
        File.WriteAllText(_data.File("NLog.config"), """
            <nlog><targets><target name="console" type="Console" layout="RELOADED ${level} ${message}" /></targets>
            <rules><logger name="*" minlevel="Info" writeTo="console" /></rules></nlog>
            """);

        server.Signal(SigHup);

        await server.WaitForLineAsync(new Regex("RELOADED Info Settings reloaded, applied now: MaxClients 32 -> 40"), Timeout);
        await server.WaitForLineAsync(new Regex("RELOADED Warn .*only after a restart: ServerName \\(LanTalk -> Renamed\\)"), Timeout);
        server.HasExited.Should().BeFalse();

        // A broken file changes nothing and says why.
        File.WriteAllText(_data.File("Settings.xml"), "<Settings><MaxClients>0</MaxClients></Settings>");
        server.Signal(SigHup);
        await server.WaitForLineAsync(new Regex("RELOADED Warn Settings were not reloaded.*<MaxClients>"), Timeout);

        // So does a missing one: the built-in defaults were applied (MaxClients 40 -> 32) and the file never named.
        File.Delete(_data.File("Settings.xml"));
        server.Signal(SigHup);
        await server.WaitForLineAsync(new Regex("RELOADED Warn Settings were not reloaded.*Settings\\.xml does not exist"), Timeout);
        server.Output.Should().NotContain("MaxClients 40 -> 32");

        server.Signal(SigTerm);
        (await server.WaitForExitAsync(Timeout)).Should().Be(0, server.Output);
    }

    [Test]
    public async Task A_reload_of_a_server_that_never_had_a_Settings_file_says_it_stays_on_the_defaults_without_a_warning()
    {
        File.Delete(_data.File("Settings.xml"));
        await using var server = OpsProcess.Start("service", "run", "--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");
        await server.WaitForPortAsync();
        File.WriteAllText(_data.File("NLog.config"), """
            <nlog><targets><target name="console" type="Console" layout="RELOADED ${level} ${message}" /></targets>
            <rules><logger name="*" minlevel="Info" writeTo="console" /></rules></nlog>
            """);

        server.Signal(SigHup);

        // logrotate's postrotate or `systemctl reload` on a server run on the defaults: nothing was deleted, nothing to put back.
        await server.WaitForLineAsync(new Regex("RELOADED Info No Settings\\.xml in .*: still running on built-in defaults"), Timeout);
        server.Output.Should().NotContain("Put it back");
        server.Signal(SigTerm);
        (await server.WaitForExitAsync(Timeout)).Should().Be(0, server.Output);
    }
}
