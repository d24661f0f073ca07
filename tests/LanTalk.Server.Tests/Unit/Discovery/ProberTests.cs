using LanTalk.Server.Discovery;

namespace LanTalk.Server.Tests.Unit.Discovery;

/// <summary>RFC 6762 §8.1 probing against a LAN where another host answers for the first names tried; no sockets, a fake clock.</summary>
public sealed class ProberTests
{
    /// <summary>Names 0 .. Taken-1 are in use by another host, which answers every probe for them.</summary>
    private sealed class BusyLan(int taken)
    {
        private bool _conflict;

        public int Current { get; private set; }

        public long NowMs { get; private set; }

        public Dictionary<int, int> Probes { get; } = [];

        public Dictionary<int, long> FirstProbeAt { get; } = [];

        public List<TimeSpan> Waits { get; } = [];

        public void SendProbe()
        {
            Probes[Current] = Probes.GetValueOrDefault(Current) + 1;
            FirstProbeAt.TryAdd(Current, NowMs);
            _conflict |= Current < taken;
        }

        public bool ConflictSeen() => _conflict;

        public void Rename()
        {
            Current++;
            _conflict = false;
        }

        public Task Delay(TimeSpan wait, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            Waits.Add(wait);
            NowMs += (long)wait.TotalMilliseconds;
            return Task.CompletedTask;
        }

        public Task RunAsync(CancellationToken token = default) =>
            new Prober(Delay, () => NowMs).RunAsync(SendProbe, ConflictSeen, Rename, token);
    }

    [Test]
    public async Task A_free_name_is_probed_three_times_250_ms_apart()
    {
        var lan = new BusyLan(taken: 0);

        await lan.RunAsync();

        lan.Current.Should().Be(0);
        lan.Probes[0].Should().Be(3);
        lan.Waits.Should().Equal(Prober.ProbeInterval, Prober.ProbeInterval, Prober.ProbeInterval);
    }

    [Test]
    public async Task After_15_conflicts_the_next_names_are_still_probed_before_they_are_used()
    {
        var lan = new BusyLan(taken: 20);

        await lan.RunAsync();

        lan.Current.Should().Be(20, "names 0..19 are taken");
        lan.Probes.GetValueOrDefault(20).Should().Be(3, "the name announced went through three unanswered probes");
        Enumerable.Range(0, 20).Should().OnlyContain(n => lan.Probes.GetValueOrDefault(n) == 1, "each taken name was probed, and answered");
    }

    [Test]
    public async Task After_15_conflicts_within_10_s_each_further_attempt_waits_at_least_5_s()
    {
        var lan = new BusyLan(taken: 20);

        await lan.RunAsync();

        for (int name = 1; name <= 14; name++)
        {
            (lan.FirstProbeAt[name] - lan.FirstProbeAt[name - 1]).Should().BeLessThan(1000, "up to the 15th conflict a new name is probed at once (name {0})", name);
        }

        for (int name = 15; name <= 20; name++)
        {
            (lan.FirstProbeAt[name] - lan.FirstProbeAt[name - 1]).Should().BeGreaterThanOrEqualTo(5000, "RFC 6762 §8.1 (name {0})", name);
        }
    }

    [Test]
    public async Task A_host_that_answers_every_probe_gets_one_probe_every_5_s_until_the_server_stops()
    {
        var lan = new BusyLan(taken: int.MaxValue);
        using var stop = new CancellationTokenSource();
        var prober = new Prober((wait, token) =>
        {
            if (lan.NowMs >= 120_000)
            {
                stop.Cancel();
            }

            return lan.Delay(wait, token);
        }, () => lan.NowMs);

        await FluentActions.Awaiting(() => prober.RunAsync(lan.SendProbe, lan.ConflictSeen, lan.Rename, stop.Token)).Should().ThrowAsync<OperationCanceledException>();

        lan.Probes.Values.Sum().Should().BeLessThanOrEqualTo(15 + (120 / 5) + 1, "no flood: 15 fast attempts, then one per 5 s");
    }
}
