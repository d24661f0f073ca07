using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// Time the server did not run (SIGSTOP, a paused VM) is not held against a client's rate: what it sent at the
/// announced rate meanwhile waited in the kernel and arrives as one burst (fault injection, 2026-12-06: 41 refusals
/// per client after a 20 s stop). A flooder still gets no more than the rate allows over the time that passed.
/// </summary>
[TestFixture]
public sealed class PausedServerRateTests
{
    private const double Rate = 20;
    private const double Burst = 32;
    // Ahead of the real tick count, which each bucket starts from.
    private static readonly long Start = Environment.TickCount64 + 3_600_000;

    [TestCase(5, 20, true, TestName = "A quarter of the rate through a 20 s stop, the read loop waking before the sweep")]
    [TestCase(5, 20, false, TestName = "A quarter of the rate through a 20 s stop, the sweep waking first")]
    [TestCase(10, 30, true, TestName = "Half the rate through a 30 s stop: no flood cut-off")]
    [TestCase(20, 20, true, TestName = "The full rate through a 20 s stop")]
    public void Messages_sent_within_the_rate_while_the_server_was_stopped_are_all_accepted(int perSecond, int pausedSeconds, bool readLoopFirst)
    {
        var pauses = new SweepPause();
        pauses.Started(Start);
        var limit = new MessageRateLimit(pauses);
        long now = SendPaced(limit, pauses, perSecond, from: Start, seconds: 5);

        // Stopped: the sweep does not run, the client keeps sending; the kernel keeps it all.
        long resumed = now + (pausedSeconds * 1000L);
        if (!readLoopFirst)
        {
            pauses.MayJudge(resumed, out long gap).Should().BeFalse();
            gap.Should().BeGreaterThan(pausedSeconds * 1000L - 1000);
        }

        var backlog = Enumerable.Range(0, perSecond * pausedSeconds).Select(_ => limit.Take(Rate, Burst, resumed)).ToList();

        backlog.Should().AllBeEquivalentTo(RateVerdict.Allowed, "each was sent within the announced rate");
        SendPaced(limit, pauses, perSecond, from: resumed, seconds: 5);
        limit.RefusalsInARow.Should().Be(0);
    }

    [Test]
    public void A_flooder_after_a_stop_gets_no_more_than_the_burst_and_the_rate_over_the_time_that_passed()
    {
        var pauses = new SweepPause();
        pauses.Started(Start);
        var limit = new MessageRateLimit(pauses);
        limit.Take(Rate, Burst, Start).Should().Be(RateVerdict.Allowed);

        long resumed = Start + 20_000;
        int allowed = Enumerable.Range(0, 2_000).Count(_ => limit.Take(Rate, Burst, resumed) == RateVerdict.Allowed);

        allowed.Should().BeLessThanOrEqualTo((int)(Burst + (Rate * 20)), "the pause is credited at the rate, no more");
        allowed.Should().BeGreaterThanOrEqualTo((int)(Rate * 20) - 1);
        limit.Take(Rate, Burst, resumed).Should().Be(RateVerdict.Abusive, "refusals in a row still cut a flooder off");
    }

    [Test]
    public void A_client_idle_through_a_stop_cannot_save_its_credit_for_a_flood_later()
    {
        var pauses = new SweepPause();
        pauses.Started(Start);
        var limit = new MessageRateLimit(pauses);
        limit.Take(Rate, Burst, Start).Should().Be(RateVerdict.Allowed);
        pauses.MayJudge(Start + 20_000, out _).Should().BeFalse("the server was stopped for 20 s");

        long later = Start + 120_000;
        for (long t = Start + 21_000; t <= later; t += 1_000)
        {
            pauses.MayJudge(t, out _);
        }

        int allowed = Enumerable.Range(0, 500).Count(_ => limit.Take(Rate, Burst, later) == RateVerdict.Allowed);
        allowed.Should().Be((int)Burst, "a minute and a half after the stop only the usual burst is left");
    }

    [Test]
    public void Tokens_credited_for_a_stop_but_not_spent_lapse_once_the_backlog_had_its_time()
    {
        var pauses = new SweepPause();
        pauses.Started(Start);
        var limit = new MessageRateLimit(pauses);
        limit.Take(Rate, Burst, Start).Should().Be(RateVerdict.Allowed);

        long resumed = Start + 20_000;
        // A few messages from the pause: the credit is taken, most of it left.
        Enumerable.Range(0, 40).Select(_ => limit.Take(Rate, Burst, resumed)).Should().AllBeEquivalentTo(RateVerdict.Allowed);

        long afterwards = pauses.AllowanceUntil + 1;
        for (long t = resumed; t <= afterwards; t += 1_000)
        {
            pauses.MayJudge(t, out _);
        }

        int allowed = Enumerable.Range(0, 1_000).Count(_ => limit.Take(Rate, Burst, afterwards) == RateVerdict.Allowed);
        allowed.Should().Be((int)Burst);
    }

    // A client sending perSecond messages a second, evenly, with the sweep running each second; returns the time after.
    private static long SendPaced(MessageRateLimit limit, SweepPause pauses, int perSecond, long from, int seconds)
    {
        long step = 1000 / perSecond;
        long now = from;
        for (int i = 0; i < perSecond * seconds; i++, now += step)
        {
            if ((now - from) % 1000 == 0)
            {
                pauses.MayJudge(now, out _);
            }

            limit.Take(Rate, Burst, now).Should().Be(RateVerdict.Allowed);
        }

        return now;
    }
}
