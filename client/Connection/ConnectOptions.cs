namespace LanTalk.Client.Connection;

/// <summary>Everything needed to open a connection to one server, TLS trust included.</summary>
internal sealed record ConnectOptions
{
    public required ServerAddress Server { get; init; }

    /// <summary>--plaintext: no TLS, for servers running with TlsMode Off.</summary>
    public bool Plaintext { get; init; }

    /// <summary>--trust FINGERPRINT: the certificate fingerprint to accept (and remember) for this server.</summary>
    public string? TrustedFingerprint { get; init; }

    /// <summary>The known-servers file: fingerprints the user accepted before.</summary>
    public string? KnownServersFile { get; init; }

    /// <summary>Asks the user whether to trust a server met for the first time; null where nobody can answer.</summary>
    public Func<string, bool>? ConfirmNewServer { get; init; }

    /// <summary>The fingerprint the server announced on the LAN (DNS-SD TXT), shown in the trust question; never trusted by itself.</summary>
    public string? AnnouncedFingerprint { get; init; }

    /// <summary>
    /// The announcement asked to be trusted on first use without a question (TXT pin=auto). Anyone on the LAN can send
    /// that, so it decides nothing by itself: the question mentions it, and only <see cref="TrustAnnounced"/> acts on it.
    /// </summary>
    public bool AnnouncedPinAuto { get; init; }

    /// <summary>
    /// --trust-announced: the user's own consent to trust <see cref="AnnouncedFingerprint"/> on first use without
    /// asking, when the announcement says pin=auto and the certificate matches it.
    /// </summary>
    public bool TrustAnnounced { get; init; }

    /// <summary>'lantalk send': the session takes no stored private messages or receipts (ChatClientOptions.OneShot).</summary>
    public bool OneShot { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a message waits for its echo (null: <see cref="RequestTimeout"/>); chat waits while connected.</summary>
    public TimeSpan? ConfirmTimeout { get; init; }
}
