namespace LanTalk.Client.Connection;

/// <summary>How the client retries after a dropped connection: doubling waits up to a cap, with jitter, for ever by default.</summary>
internal sealed record ReconnectPolicy
{
    /// <summary>The cap's default: a server back from a reboot is found within a minute, and a LAN of idle clients costs it one attempt each per minute.</summary>
    public const int DefaultMaxDelaySeconds = 60;

    /// <summary>The first wait; each try doubles it up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(DefaultMaxDelaySeconds);

    /// <summary>
    /// Each wait is shortened by up to this fraction at random, so the clients of a rebooted server do not all
    /// come back in the same second.
    /// </summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Null: retry for ever, as irssi and weechat do; a user stops it with /quit. 0: never reconnect.</summary>
    public int? MaxTries { get; init; }

    public static ReconnectPolicy Default { get; } = new();

    /// <summary>For one-shot commands: a script wants a prompt failure it can act on.</summary>
    public static ReconnectPolicy Never { get; } = new() { MaxTries = 0 };

    public bool Retries => MaxTries is not 0;

    /// <summary>
    /// After the server said it was shutting down (most often a restart or an upgrade, back within seconds), try this
    /// often for <see cref="RestartTries"/> tries before the doubling resumes: with doubling alone, clients came back
    /// 9-12 s after the server was listening again (a UX audit, 2026-12-06).
    /// </summary>
    public TimeSpan RestartDelay
    {
        get => _restartDelay ?? FirstDelay * 2;
        init => _restartDelay = value;
    }

    // Unset: twice the first wait (2 s by default), so a policy with short waits (tests, scripts) stays short.
    private readonly TimeSpan? _restartDelay;

    /// <summary>Tries at <see cref="RestartDelay"/> after a shutdown: half a minute, long enough for a restart.</summary>
    public int RestartTries { get; init; } = 15;

    /// <summary>
    /// The wait before try <paramref name="attempt"/> (1-based); <paramref name="random"/> in [0, 1) picks the jitter.
    /// <paramref name="restarting"/>: the server announced its shutdown, so it is probably coming back soon.
    /// </summary>
    public TimeSpan DelayBefore(int attempt, double random, bool restarting = false)
    {
        if (restarting)
        {
            if (attempt <= RestartTries)
            {
                return TimeSpan.FromMilliseconds(Math.Min(RestartDelay.TotalMilliseconds, MaxDelay.TotalMilliseconds) * (1 - (Jitter * random)));
            }

            // Then doubling again, from the restart delay on, as if the tries so far had been the first one.
            attempt = attempt - RestartTries + 1;
        }

        double doubled = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        double capped = Math.Min(doubled, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (Jitter * random)));
    }
}
