namespace LanTalk.Client.Connection;

/// <summary>How the client retries after a dropped connection.</summary>
internal sealed record ReconnectPolicy
{
    /// <summary>
    /// Eight tries over about a minute (1+2+4+8+16+16+16+16 s): enough to ride out a server restart or a Wi-Fi
    /// roam, short enough that a user whose server is gone for good hears about it within a minute.
    /// </summary>
    public IReadOnlyList<TimeSpan> Delays { get; init; } =
        [Seconds(1), Seconds(2), Seconds(4), Seconds(8), Seconds(16), Seconds(16), Seconds(16), Seconds(16)];

    public int MaxTries => Delays.Count;

    public static ReconnectPolicy Default { get; } = new();

    private static TimeSpan Seconds(int seconds) => TimeSpan.FromSeconds(seconds);

    public static ReconnectPolicy Never { get; } = new() { Delays = [] };
}
