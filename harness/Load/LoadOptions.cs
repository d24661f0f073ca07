using LanTalk.Harness.Cli;

namespace LanTalk.Harness.Load;

/// <summary>The load command's knobs. Null means "the scenario's default".</summary>
internal sealed record LoadOptions
{
    public string Scenario { get; init; } = "custom";

    public int? Clients { get; init; }

    public int? Messages { get; init; }

    public double? Rate { get; init; }

    public int? Size { get; init; }

    public double? PrivateRatio { get; init; }

    public double? Duration { get; init; }

    public int? Window { get; init; }

    public int? Senders { get; init; }

    public bool Strict { get; init; }

    public static LoadOptions Read(ArgReader args) => new()
    {
        Scenario = args.String("--scenario") ?? "custom",
        // Below these a run measures nothing (--clients 0 reported PASS against a port where nothing listened) or
        // something else than asked, so they are refused rather than raised.
        Clients = args.Int("--clients", 1, "a run needs a client"),
        Messages = args.Int("--messages", 1, "each sender sends at least one message"),
        Rate = args.Double("--rate"),
        Size = args.Int("--size", Payload.HeaderLength, "bytes: each message carries the harness's header, with the sender, sequence number and send time"),
        PrivateRatio = args.Double("--private-ratio", 1, "the share of messages sent privately, 0 to 1"),
        Duration = args.Double("--duration"),
        Window = args.Int("--window", 1, "each sender needs room for one unconfirmed message"),
        Senders = args.Int("--senders", 1, "someone has to send"),
        Strict = args.Flag("--strict"),
    };

    /// <summary>A traffic phase from the scenario's defaults, overridden by whatever was given on the command line.</summary>
    public TrafficSpec Traffic(int clients, double rate, double duration, int? messages = null, int window = 500, double privateRatio = 0, int? senders = null)
    {
        double r = Rate ?? rate;
        double d = Duration ?? duration;
        int size = Size ?? 64;
        int m = Messages ?? messages ?? (int)Math.Max(1, Math.Round(r * d));
        return new TrafficSpec
        {
            Senders = Senders ?? senders ?? clients,
            MessagesPerSender = m,
            Rate = r,
            Size = size,
            PrivateRatio = PrivateRatio ?? privateRatio,
            Window = Window ?? window,
            MaxSendSeconds = r > 0 ? (m / r) + 30 : 120,
        };
    }
}
