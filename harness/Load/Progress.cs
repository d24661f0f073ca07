namespace LanTalk.Harness.Load;

/// <summary>A live status line on stderr once a second, for runs long enough to wonder about.</summary>
internal sealed class Progress : IDisposable
{
    private readonly Timer _timer;
    private readonly DateTime _started = DateTime.UtcNow;

    public Progress(string name, Func<string> status, bool enabled)
    {
        _timer = new Timer(_ =>
        {
            if (enabled)
            {
                Console.Error.WriteLine($"[{name} {(DateTime.UtcNow - _started).TotalSeconds,5:0.0}s] {status()}");
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _timer.Dispose();
}
