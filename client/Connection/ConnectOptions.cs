namespace LanTalk.Client.Connection;

/// <summary>Everything needed to open a connection to one server. TLS settings join here when they exist.</summary>
internal sealed record ConnectOptions
{
    public required ServerAddress Server { get; init; }

    /// <summary>--plaintext: stored so the TLS work only has to read it; every connection is plain TCP today.</summary>
    public bool Plaintext { get; init; }

    /// <summary>--trust FINGERPRINT, for trust-on-first-use once TLS exists.</summary>
    public string? TrustedFingerprint { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
