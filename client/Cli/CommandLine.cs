namespace LanTalk.Client.Cli;

/// <summary>The parsed command line. Null means "not given", so remembered settings fill the gap.</summary>
internal sealed record CommandLine
{
    public CommandKind Kind { get; init; } = CommandKind.Chat;

    /// <summary>HOST[:PORT] as typed, from the positional argument or --server.</summary>
    public string? Server { get; init; }

    public string? User { get; init; }

    /// <summary>Recipient of <c>lantalk send --to</c>; null sends publicly.</summary>
    public string? To { get; init; }

    /// <summary>Room of <c>lantalk send --room</c> (v3), as typed; null sends to the default room.</summary>
    public string? Room { get; init; }

    /// <summary>Message text for send, search text for archive search.</summary>
    public string? Text { get; init; }

    public bool PasswordStdin { get; init; }

    /// <summary>Accepted now and stored; a no-op until the TLS work lands.</summary>
    public bool Plaintext { get; init; }

    /// <summary>--trust FINGERPRINT: the certificate fingerprint to accept and remember for this server.</summary>
    public string? Trust { get; init; }

    /// <summary>
    /// --trust-announced: with a server found on the LAN, the user consents to trusting its announced fingerprint on
    /// first use without asking, when the announcement says pin=auto. Never implied by the announcement itself.
    /// </summary>
    public bool TrustAnnounced { get; init; }

    public bool? Color { get; init; }

    public bool? Seconds { get; init; }

    /// <summary>archive search over every server and user folder.</summary>
    public bool SearchAll { get; init; }

    /// <summary>--json: machine-readable output for 'servers' and 'doctor'.</summary>
    public bool Json { get; init; }

    /// <summary>
    /// Not an option: set when the server was found by browsing the LAN, so the trust question can show the
    /// fingerprint the server announced (and pin it on first use when it asks and the user passed --trust-announced).
    /// </summary>
    public LanTalk.Core.Discovery.DiscoveredServer? Announced { get; init; }

    /// <summary>For <see cref="CommandKind.Help"/>: the subcommand whose help to show, or null for the tool.</summary>
    public CommandKind HelpTopic { get; init; } = CommandKind.Chat;
}
