using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit;

/// <summary>Time the server did not run (SIGSTOP, a paused VM) is not held against any session.</summary>
public sealed class SweepPauseTests
{
    [Test]
    public void Sweeps_a_second_apart_may_judge_timeouts()
    {
        var pause = new SweepPause();

        pause.MayJudge(10_000, out _).Should().BeTrue();
        pause.MayJudge(11_000, out long gap).Should().BeTrue();
        gap.Should().Be(0);
    }

    [Test]
    public void After_a_gap_no_timeout_is_judged_until_the_grace_has_passed()
    {
        var pause = new SweepPause();
        pause.MayJudge(10_000, out _);

        pause.MayJudge(25_000, out long gap).Should().BeFalse("the server was stopped for 15 s");
        gap.Should().Be(15_000);
        pause.MayJudge(26_000, out _).Should().BeFalse("buffered logins and frames are still being read");
        pause.MayJudge(25_000 + SweepPause.GraceMs, out _).Should().BeTrue();
    }

    [Test]
    public void A_stop_before_the_first_sweep_is_a_gap_too()
    {
        var pause = new SweepPause();
        pause.Started(10_000);

        pause.MayJudge(25_000, out long gap).Should().BeFalse();
        gap.Should().Be(15_000);
    }
}
