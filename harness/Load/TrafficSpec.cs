namespace LanTalk.Harness.Load;

/// <summary>One messaging phase: who sends, how much, how fast. Rate 0 means as fast as the window allows.</summary>
internal sealed record TrafficSpec
{
    public int Senders { get; init; } = 32;

    public int MessagesPerSender { get; init; }

    /// <summary>Messages per second per sender (open loop); 0 = burst.</summary>
    public double Rate { get; init; } = 20;

    public int Size { get; init; } = 64;

    public double PrivateRatio { get; init; }

    /// <summary>Unconfirmed messages per sender before it waits for its own echoes.</summary>
    public int Window { get; init; } = 500;

    /// <summary>After the last send, how long without any new delivery before giving up on the rest.</summary>
    public double DrainSeconds { get; init; } = 5;

    /// <summary>Upper bound on the sending phase, whatever the schedule says.</summary>
    public double MaxSendSeconds { get; init; } = 120;
}
