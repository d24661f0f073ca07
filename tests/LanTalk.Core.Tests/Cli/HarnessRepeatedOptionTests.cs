using LanTalk.Harness.Cli;
using LanTalk.Harness.Infra;

namespace LanTalk.Core.Tests.Cli;

/// <summary>
/// lantalk-harness refuses an option given twice, as the other tools do: "--set A=1 --set B=2" ran with B=2 alone and
/// said nothing (a settings audit, 2026-12-06).
/// </summary>
public sealed class HarnessRepeatedOptionTests
{
    [TestCase(new[] { "--spawn", "s", "--set", "History=false", "--set", "HistoryPowerSafe=false" }, "--set was given twice ('History=false' and 'HistoryPowerSafe=false')")]
    [TestCase(new[] { "--spawn", "s", "--clients", "1", "--clients=2" }, "--clients was given twice ('1' and '2')")]
    [TestCase(new[] { "--spawn", "s", "--no-progress", "--no-progress" }, "--no-progress was given twice")]
    public void An_option_given_twice_is_refused(string[] args, string expected)
    {
        var act = () => new ArgReader(args, CommonOptions.Flags.ToHashSet());

        act.Should().Throw<HarnessException>().Which.Message.Should().Contain(expected);
    }
}
