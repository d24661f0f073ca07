using LanTalk.Harness.Infra;

namespace LanTalk.Core.Tests.Harness;

/// <summary>How the harness reads a spawned server's start-up output (harness/Infra/StartupLog).</summary>
public sealed class StartupLogTests
{
    [TestCase("2026-12-06 20:59:36.139 WARN  TLS is off: passwords ...", true)]
    [TestCase("2026-12-06 20:59:36.139 ERROR Cannot open history.db", true)]
    [TestCase("<4>WARN  Settings: x", true)]
    [TestCase("lantalk-server: WARNING: the log file cannot be written", true)]
    [TestCase("2026-12-06 20:59:36.139 INFO  Listening on 127.0.0.1:46049 (MaxClients 32, TLS Off)", false)]
    [TestCase("2026-12-06 20:59:36.139 INFO  a WARN inside a message is no warning", false)]
    public void Warnings_and_errors_are_told_from_the_rest(string line, bool problem) =>
        StartupLog.IsProblem(line).Should().Be(problem);

    [Test]
    public void Unknown_elements_are_read_from_the_servers_own_words()
    {
        string line = "2026-12-06 20:59:36.139 WARN  Settings: /d/Settings.xml, line 1: unknown element <HistoryPowerSafee> is ignored (check the spelling; "
            + "the elements are listed by 'lantalk-server config show-defaults settings')";

        StartupLog.UnknownElements([line, "2026-12-06 20:59:36.139 WARN  TLS is off"]).Should().Equal(("HistoryPowerSafee", line));
        StartupLog.WithoutTimestamp(line).Should().StartWith("WARN  Settings: /d/Settings.xml, line 1:");
    }
}
