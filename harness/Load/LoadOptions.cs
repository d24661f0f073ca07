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
        Clients = args.Int("--clients"),
        Messages = args.Int("--messages"),
        Rate = args.Double("--rate"),
        Size = args.Int("--size"),
        PrivateRatio = args.Double("--private-ratio"),
        Duration = args.Double("--duration"),
        Window = args.Int("--window"),
        Senders = args.Int("--senders"),
        Strict = args.Flag("--strict"),
    };

    /// <summary>A traffic phase from the scenario's defaults, overridden by whatever was given on the command line.</summary>
    public TrafficSpec Traffic(int clients, double rate, double duration, int? messages = null, int window = 500, double privateRatio = 0, int? senders = null)
    {
        double r = Rate ?? rate;
        double d = Duration ?? duration;
        int size = Math.Max(Payload.HeaderLength, Size ?? 64);
        int m = Messages ?? messages ?? (int)Math.Max(1, Math.Round(r * d));
        return new TrafficSpec
        {
            Senders = Senders ?? senders ?? clients,
            MessagesPerSender = m,
            Rate = r,
            Size = size,
            PrivateRatio = Math.Clamp(PrivateRatio ?? privateRatio, 0, 1),
            Window = Math.Max(1, Window ?? window),
            MaxSendSeconds = r > 0 ? (m / r) + 30 : 120,
        };
    }
}
