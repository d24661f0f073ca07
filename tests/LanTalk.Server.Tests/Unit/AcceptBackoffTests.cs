using System.Net.Sockets;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit;

/// <summary>Out of descriptors, accept fails at once every time: the loop must pause and log a count, not spin.</summary>
[TestFixture]
public sealed class AcceptBackoffTests
{
    private static readonly double[] s_firstDelaysMs = [5, 10, 20, 40];
    private long _now;

    private AcceptBackoff NewBackoff() => new(() => _now);

    [Test]
    public void Pauses_grow_from_5_ms_to_1_s()
    {
        var backoff = NewBackoff();
        var delays = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            delays.Add(backoff.OnFailure(SocketError.TooManyOpenSockets, "Too many open files").Delay.TotalMilliseconds);
        }

        Assert.That(delays.Take(4), Is.EqualTo(s_firstDelaysMs));
        Assert.That(delays[^1], Is.EqualTo(AcceptBackoff.MaxDelay.TotalMilliseconds));
        Assert.That(delays, Is.Ordered);
    }

    [Test]
    public void Logs_the_first_failure_then_one_summary_per_interval_with_the_count()
    {
        var backoff = NewBackoff();
        var reports = new List<AcceptFailureReport>();
        // 60 s of failures at the longest pause, plus many quick ones in the first second.
        for (int i = 0; i < 600; i++)
        {
            _now += 100;
            if (backoff.OnFailure(SocketError.TooManyOpenSockets, "Too many open files").Report is { } report)
            {
                reports.Add(report);
            }
        }

        Assert.That(reports[0].First, Is.True);
        Assert.That(reports[0].Hint, Does.Contain("open-files limit"));
        Assert.That(reports, Has.Count.InRange(6, 7), "one line, then one per 10 s, over 60 s");
        // Every failure is counted: in a line already, or (the last interval's) in the recovery line.
        Assert.That(reports.Sum(r => r.Failures), Is.InRange(600 - 100, 600));
        Assert.That(backoff.OnSuccess()?.Failures, Is.EqualTo(600));
    }

    [Test]
    public void A_success_ends_the_run_and_says_how_many_failed()
    {
        var backoff = NewBackoff();
        Assert.That(backoff.OnSuccess(), Is.Null, "nothing to report without failures");
        for (int i = 0; i < 7; i++)
        {
            _now += 500;
            backoff.OnFailure(SocketError.TooManyOpenSockets, "Too many open files");
        }

        var recovered = backoff.OnSuccess();
        Assert.That(recovered?.Failures, Is.EqualTo(7));
        Assert.That(recovered?.Duration.TotalSeconds, Is.EqualTo(3).Within(0.01));
        Assert.That(backoff.Failing, Is.False);

        _now += (long)AcceptBackoff.ReportInterval.TotalMilliseconds;
        var next = backoff.OnFailure(SocketError.TooManyOpenSockets, "Too many open files");
        Assert.That(next.Delay, Is.EqualTo(AcceptBackoff.MinDelay), "a new run starts from the shortest pause");
        Assert.That(next.Report?.First, Is.True);
    }

    [Test]
    public void A_connection_reset_before_accept_costs_no_pause_but_is_still_rate_limited()
    {
        var backoff = NewBackoff();
        int lines = 0;
        for (int i = 0; i < 1000; i++)
        {
            var (delay, report) = backoff.OnFailure(SocketError.ConnectionReset, "Connection reset by peer");
            Assert.That(delay, Is.EqualTo(TimeSpan.Zero));
            lines += report is null ? 0 : 1;
        }

        Assert.That(lines, Is.EqualTo(1));
    }

    [Test]
    public void Failures_alternating_with_successes_log_one_line_per_interval()
    {
        var backoff = NewBackoff();
        int lines = 0;
        for (int i = 0; i < 1000; i++)
        {
            _now += 5;
            lines += backoff.OnFailure(SocketError.ConnectionReset, "Connection reset by peer").Report is null ? 0 : 1;
            lines += backoff.OnSuccess() is null ? 0 : 1;
        }

        Assert.That(lines, Is.EqualTo(1), "5 s of resets between successes: one line, not 2,000");
    }

    [Test]
    public void Flapping_at_the_descriptor_limit_logs_at_most_two_lines_per_interval()
    {
        // At the limit, each client that leaves frees one descriptor: one accept succeeds, the next fails again.
        var backoff = NewBackoff();
        int lines = 0;
        long failures = 0;
        for (int i = 0; i < 1000; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                _now += 10;
                failures++;
                lines += backoff.OnFailure(SocketError.TooManyOpenSockets, "Too many open files").Report is null ? 0 : 1;
            }

            if (backoff.OnSuccess() is { } recovered)
            {
                lines++;
                failures -= recovered.Failures;
            }
        }

        // 30 s of flapping: a failure line and a recovery line per 10 s, and the recovery lines count every failure.
        Assert.That(lines, Is.InRange(2, 8));
        Assert.That(failures, Is.LessThanOrEqualTo(1_000), "only the last interval's failures still wait for a recovery line");
    }
}
