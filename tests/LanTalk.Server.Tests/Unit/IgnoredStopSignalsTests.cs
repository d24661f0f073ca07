using LanTalk.Server.Hosting;

namespace LanTalk.Server.Tests.Unit;

/// <summary>Reading the stop signals a process was started with ignored, from /proc/PID/status, and what is said of them.</summary>
[TestFixture]
public sealed class IgnoredStopSignalsTests
{
    [Test]
    public void A_background_job_mask_names_SIGINT_and_SIGQUIT()
    {
        // What `cmd &` in a script gets: SIGINT (bit 1), SIGQUIT (bit 2) and, here, SIGPIPE (bit 12).
        string status = "Name:\tlantalk-server\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000001006\nSigCgt:\t0000000000000000\n";

        IgnoredStopSignals.Parse(status).Should().Equal("SIGINT", "SIGQUIT");
    }

    [Test]
    public void Nothing_ignored_or_only_other_signals_names_nothing()
    {
        IgnoredStopSignals.Parse("SigIgn:\t0000000000000000\n").Should().BeEmpty();
        IgnoredStopSignals.Parse("SigIgn:\t0000000000001001\n").Should().BeEmpty("SIGHUP (nohup) and SIGPIPE are not stop signals it warns of");
        IgnoredStopSignals.Parse("Name:\tx\n").Should().BeEmpty("no SigIgn line");
        IgnoredStopSignals.Parse("SigIgn:\tnot-hex\n").Should().BeEmpty();
    }

    [Test]
    public void An_ignored_SIGTERM_is_named_and_the_warning_says_only_SIGKILL_works()
    {
        var ignored = IgnoredStopSignals.Parse("SigIgn:\t0000000000004000\n");

        ignored.Should().Equal("SIGTERM");
        IgnoredStopSignals.Warning(ignored).Should().StartWith("SIGTERM was ignored").And.Contain("cannot receive it").And.Contain("only SIGKILL stops it");
    }

    [Test]
    public void The_warning_for_a_background_job_names_both_and_says_SIGTERM_still_works()
    {
        IgnoredStopSignals.Warning(["SIGINT", "SIGQUIT"]).Should()
            .StartWith("SIGINT and SIGQUIT were ignored when this server started").And.Contain("cannot receive them").And.Contain("stop it with SIGTERM (kill PID)");
    }
}
