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

    // The IRC mode's rows of make bench-peer: History=false takes the store's cost out of a comparison with InspIRCd,
    // which stores nothing (before, irc refused --set, so that row could not be measured).
    [Test]
    public async Task Irc_spawn_takes_set_and_the_spawned_server_runs_with_it()
    {
        var (code, output, error) = await HarnessProcess.RunAsync(
            ["irc", "--spawn", HarnessProcess.Server, "--set", "History=false", "--scenario", "burst-32", "--clients", "2", "--messages", "2", "--no-progress"], RunLimit);

        code.Should().Be(0, error);
        output.Should().Contain("PASS");
        error.Should().Contain("the spawned server said at start: WARN  History is off (Settings.xml History = false)");
    }

    [Test]
    public async Task Irc_spawn_with_a_set_name_the_server_does_not_know_stops_with_exit_2()
    {
        var (code, output, error) = await HarnessProcess.RunAsync(
            ["irc", "--spawn", HarnessProcess.Server, "--set", "Histroy=false", "--scenario", "burst-32", "--clients", "2", "--messages", "2", "--no-progress"], RunLimit);

        code.Should().Be(2, error);
        error.Should().Contain("--set Histroy: the spawned server does not know this setting");
        output.Should().NotContain("PASS");
    }

    [Test]
    public async Task Irc_set_without_spawn_is_refused()
    {
        var (code, _, error) = await HarnessProcess.RunAsync(
            ["irc", "--server", "127.0.0.1:1", "--set", "History=false", "--scenario", "burst-32"], RunLimit);

        code.Should().Be(2, error);
        error.Should().Contain("--set goes with --spawn");
    }
}
