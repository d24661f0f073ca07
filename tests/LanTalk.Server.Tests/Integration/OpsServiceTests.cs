namespace LanTalk.Server.Tests.Integration;

/// <summary>`service install/uninstall` into a temp unit path (no systemd here): the real executable writes and removes the unit.</summary>
[TestFixture]
public sealed class OpsServiceTests
{
    [Test]
    [Platform("Linux")]
    public async Task Install_writes_a_unit_that_runs_this_executable_and_uninstall_removes_it()
    {
        using var dir = new TempDirectory();
        string unit = dir.File("lantalk.service");
        string data = dir.File("data");

        var (code, output) = await OpsProcess.RunAsync(null, "service", "install", "--data", data, "--user", "lantalk", "--unit-path", unit);

        code.Should().Be(0, output);
        output.Should().Contain("systemctl daemon-reload && sudo systemctl enable --now lantalk");
        var lines = File.ReadAllLines(unit);
        lines.Should().Contain($"ExecStart={OpsProcess.Executable} service run --data {data}");
        lines.Should().Contain("User=lantalk").And.Contain($"ReadWritePaths={data}");
        Directory.Exists(data).Should().BeFalse("installing writes only the unit");

        (code, output) = await OpsProcess.RunAsync(null, "service", "uninstall", "--unit-path", unit);

        code.Should().Be(0, output);
        File.Exists(unit).Should().BeFalse();
    }

    [Test]
    public async Task Dry_run_prints_the_unit_and_writes_nothing()
    {
        using var dir = new TempDirectory();

        var (code, output) = await OpsProcess.RunAsync(null, "service", "install", "--data", dir.Path, "--unit-path", dir.File("u.service"), "--dry-run");

        code.Should().Be(0, output);
        output.Should().Contain("[Service]").And.Contain("Restart=on-failure");
        File.Exists(dir.File("u.service")).Should().BeFalse();
    }
}
