using LanTalk.Harness.Infra;

namespace LanTalk.Core.Tests.Harness;

/// <summary>The machine's steal and idle shares the harness reports next to each run (harness/Infra/HostCpu).</summary>
public sealed class HostCpuTests
{
    [Test]
    public void Shares_are_the_differences_over_the_total()
    {
        var start = new HostCpu(Total: 1_000, Idle: 400, Steal: 10);
        var end = new HostCpu(Total: 1_200, Idle: 450, Steal: 20);

        end.Since(start).Should().Be("steal 5.0 %, idle 25.0 % of all cores");
    }

    [Test]
    public void Nothing_measured_gives_no_figure()
    {
        default(HostCpu).Since(default).Should().BeNull();
    }

    [Test]
    public void The_machine_counters_read_on_linux_are_consistent()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("/proc/stat is Linux's");
        }

        var first = HostCpu.Read();

        first.Total.Should().BeGreaterThan(0, "the first line of /proc/stat counts every core's time since boot");
        first.Idle.Should().BeLessThanOrEqualTo(first.Total);
        first.Steal.Should().BeLessThanOrEqualTo(first.Total);
    }
}
