namespace LanTalk.Core.Transport;

/// <summary>
/// Tells the host, once per option and process, that a socket option is unavailable. Once, because the option is
/// missing from the platform, not from one connection: a line per accepted socket would bury the log.
/// </summary>
public sealed class TuningReport
{
    private int _reported;

    /// <summary>The host's logger (NLog in the server, standard error in the client); null drops the report.</summary>
    public Action<string>? Handler { get; set; }

    /// <summary>How many distinct options have failed so far.</summary>
    public int UnavailableCount => int.PopCount(Volatile.Read(ref _reported));

    /// <summary>True when <paramref name="option"/> has failed at least once.</summary>
    public bool IsUnavailable(TuningOption option) => (Volatile.Read(ref _reported) & Bit(option)) != 0;

    internal void Failed(TuningOption option, Exception error)
    {
        int bit = Bit(option);
        if ((Interlocked.Or(ref _reported, bit) & bit) == 0)
        {
            Handler?.Invoke($"socket option {Describe(option)} is not available here ({error.Message}); connections work without it");
        }
    }

    private static int Bit(TuningOption option) => 1 << (int)option;

    private static string Describe(TuningOption option) => option switch
    {
        TuningOption.NoDelay => "TCP_NODELAY",
        TuningOption.KeepAlive => "SO_KEEPALIVE",
        TuningOption.KeepAliveIdle => "TCP keep-alive idle time",
        TuningOption.KeepAliveInterval => "TCP keep-alive interval",
        TuningOption.KeepAliveProbes => "TCP keep-alive probe count",
        TuningOption.SendBuffer => "SO_SNDBUF",
        TuningOption.ReceiveBuffer => "SO_RCVBUF",
        _ => option.ToString(),
    };
}
