using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// lantalk-harness with --spawn and --set, against the real lantalk-server: the server's start-up warnings reach the
/// harness's output, and a setting the server does not know stops the run (a settings audit, 2026-12-06: a misspelt
/// --set name ran the benchmark on the default, with PASS and exit 0).
/// </summary>
[TestFixture]
public sealed class HarnessSpawnSettingsTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    [Test]
    public async Task A_set_name_the_server_does_not_know_stops_the_run_with_exit_2_naming_it()
    {
        var (code, output, error) = await HarnessProcess.RunAsync(
            ["load", "--spawn", HarnessProcess.Server, "--set", "HistoryPowerSafee=false", "--clients", "2", "--duration", "1", "--no-progress"], RunLimit);

        code.Should().Be(2, error);
        error.Should().Contain("--set HistoryPowerSafee: the spawned server does not know this setting")
            .And.Contain("unknown element <HistoryPowerSafee> is ignored", "the server's own words are quoted");
        output.Should().NotContain("PASS");
    }

    [Test]
    public async Task The_spawned_servers_start_up_warnings_are_shown_and_a_known_set_name_runs()
    {
        // PasswordIterations 1000 is valid, and the server warns about it at start; so does a plaintext start.
        var (code, output, error) = await HarnessProcess.RunAsync(
            ["load", "--spawn", HarnessProcess.Server, "--set", "PasswordIterations=1000", "--clients", "2", "--messages", "2", "--rate", "0", "--no-progress"], RunLimit);

        code.Should().Be(0, error);
        output.Should().Contain("PASS");
        error.Should().Contain("the spawned server said at start: WARN  Settings: <data>/Settings.xml")
            .And.Contain("<PasswordIterations> 1000 is far below")
            .And.Contain("the spawned server said at start: WARN  TLS is off");
    }
}
