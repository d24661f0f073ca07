using LanTalk.Client.Connection;

namespace LanTalk.Client.Tests.Unit;

public sealed class RatePacerTests
{
    [Test]
    public void A_burst_goes_at_once_then_sends_are_spaced_under_the_servers_rate()
    {
        var pacer = new RatePacer();
        // Server: 20/s, burst 60. The client keeps one token and 10 % of the rate in hand.
        var waits = Enumerable.Range(0, 61).Select(_ => pacer.Reserve(0, 20, 60, login: 1)).ToList();
        waits.Take(59).Should().OnlyContain(w => w == TimeSpan.Zero);
        waits[59].TotalMilliseconds.Should().BeApproximately(1000 / 18.0, 1);
        waits[60].TotalMilliseconds.Should().BeApproximately(2000 / 18.0, 1);
    }

    [Test]
    public void Sending_100_lines_never_outruns_the_servers_bucket()
    {
        // Replays the server's token bucket at the moments the pacer lets each message go.
        var pacer = new RatePacer();
        double serverTokens = 60;
        long last = 0;
        long now = 0;
        for (int i = 0; i < 100; i++)
        {
            now += (long)Math.Ceiling(pacer.Reserve(now, 20, 60, login: 1).TotalMilliseconds);
            serverTokens = Math.Min(60, serverTokens + ((now - last) * 20 / 1000.0));
            last = now;
            serverTokens.Should().BeGreaterThanOrEqualTo(1, $"message {i + 1} would be refused");
            serverTokens -= 1;
        }

        now.Should().BeLessThan(3000, "100 lines at 20/s after a burst of 60 take about two seconds, not more");
    }

    [Test]
    public void A_new_login_starts_with_a_full_bucket_again()
    {
        var pacer = new RatePacer();
        for (int i = 0; i < 59; i++)
        {
            pacer.Reserve(0, 20, 60, login: 1);
        }

        pacer.Reserve(0, 20, 60, login: 1).Should().BePositive();
        pacer.Reserve(0, 20, 60, login: 2).Should().Be(TimeSpan.Zero, "a reconnect is a new server session");
    }
}
