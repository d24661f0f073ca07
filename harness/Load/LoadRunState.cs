using System.Text;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

/// <summary>What every client of a run shares: the latency histogram and the watch for one user leaving.</summary>
internal sealed class LoadRunState
{
    private byte[] _watchedName = [];
    private long _watchedLeftTicks;

    public LatencyHistogram Latency { get; private set; } = new();

    public void ResetLatency() => Latency = new LatencyHistogram();

    /// <summary>Reports when the server announces that <paramref name="userName"/> left (the stalled client's cut-off).</summary>
    public void Watch(string userName)
    {
        _watchedName = Encoding.UTF8.GetBytes(userName);
        Volatile.Write(ref _watchedLeftTicks, 0);
    }

    /// <summary>Clock ticks when the watched user's UserDisconnected was first seen, or 0.</summary>
    public long WatchedLeftTicks => Volatile.Read(ref _watchedLeftTicks);

    public bool IsWatching => _watchedName.Length > 0;

    public void OnUserLeft(ReadOnlySpan<byte> userName)
    {
        if (_watchedName.Length > 0 && userName.SequenceEqual(_watchedName))
        {
            Interlocked.CompareExchange(ref _watchedLeftTicks, Clock.Now, 0);
        }
    }
}
