namespace LanTalk.Harness.Load;

/// <summary>Every figure of one load phase, as BENCHMARKS.md lists them. NaN or -1 means "not measured".</summary>
internal sealed class LoadResult
{
    public required string Name { get; init; }

    public int Clients { get; set; }

    public int Senders { get; set; }

    public int Connected { get; set; }

    public Dictionary<string, int> ConnectFailures { get; } = new();

    public double ConnectSeconds { get; set; }

    public double LoginsPerSecond { get; set; }

    public double ConnectP50Ms { get; set; }

    public double ConnectP99Ms { get; set; }

    public long Sent { get; set; }

    public long Expected { get; set; }

    /// <summary>Messages received from other clients: the deliveries. A sender's own echo is not one (BENCHMARKS.md: 32 x 20 x 31).</summary>
    public long Received { get; set; }

    /// <summary>Senders' own messages coming back as the server's confirmation; checked for loss, not counted as deliveries.</summary>
    public long Echoes { get; set; }

    public long Loss { get; set; }

    public long Duplicates { get; set; }

    public long OrderViolations { get; set; }

    public long Unexpected { get; set; }

    public long NonClosingErrors { get; set; }

    public List<string> Disconnected { get; } = new();

    public double DeliverySeconds { get; set; }

    public double DeliveriesPerSecond { get; set; }

    /// <summary>Private messages that reached their recipient per second (private-only runs).</summary>
    public double RoutedPerSecond { get; set; } = double.NaN;

    public double LatencyP50Ms { get; set; } = double.NaN;

    public double LatencyP99Ms { get; set; } = double.NaN;

    public double LatencyMaxMs { get; set; } = double.NaN;

    public double ServerCpuSeconds { get; set; } = double.NaN;

    public double CpuMicrosPerDelivery { get; set; } = double.NaN;

    /// <summary>The server's voluntary + involuntary context switches over the traffic phase.</summary>
    public long ServerContextSwitches { get; set; } = -1;

    /// <summary>The voluntary part of <see cref="ServerContextSwitches"/>: waits and hand-offs, not preemption.</summary>
    public long ServerVoluntarySwitches { get; set; } = -1;

    public double ContextSwitchesPerDelivery { get; set; } = double.NaN;

    /// <summary>Fills the context-switch figures from /proc readings taken before and after the traffic phase.</summary>
    public void SetContextSwitches((long Voluntary, long Involuntary) before, (long Voluntary, long Involuntary) after)
    {
        if (before.Voluntary < 0 || after.Voluntary < 0)
        {
            return;
        }

        ServerVoluntarySwitches = after.Voluntary - before.Voluntary;
        ServerContextSwitches = ServerVoluntarySwitches + after.Involuntary - before.Involuntary;
        ContextSwitchesPerDelivery = ServerContextSwitches / (double)Math.Max(1, Received);
    }

    public long ServerPeakRss { get; set; } = -1;

    public long ServerRssPerConnection { get; set; } = -1;

    /// <summary>The server's RSS before the phase's clients connected: what their connections add is measured from it.</summary>
    public long ServerRssBaseline { get; set; } = -1;

    /// <summary>Scenario-specific figures, such as the stalled client's cut-off time.</summary>
    public List<(string Key, string Value)> Extra { get; } = new();

    /// <summary>Scenario targets: what was required, and whether it held.</summary>
    public List<(string Target, bool Met, string Measured)> Targets { get; } = new();

    /// <summary>Correctness failures (loss, duplicates, order, unplanned disconnects): these fail the run.</summary>
    public List<string> Failures { get; } = new();

    public bool Passed => Failures.Count == 0;

    public void Target(string target, bool met, string measured) => Targets.Add((target, met, measured));
}
