namespace LanTalk.Client.Connection;

/// <summary>
/// Waits out one reconnect backoff in steps of a second, telling what is left. Measured by the monotonic clock: a
/// deadline on the wall clock (DateTime.UtcNow) waited an hour more when NTP stepped the clock back an hour during the
/// wait, the client offline all that time with its server up (clock audit, 2026-12-07).
/// </summary>
internal static class ReconnectCountdown
{
    /// <summary>Returns when <paramref name="delay"/> has passed, or at once when <paramref name="cancel"/> fires (/reconnect, a stop).</summary>
    public static async Task WaitAsync(TimeSpan delay, Action<TimeSpan> tick, TimeProvider clock, CancellationToken cancel)
    {
        long started = clock.GetTimestamp();
        while (!cancel.IsCancellationRequested)
        {
            var left = delay - clock.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            tick(left);
            var step = left.TotalSeconds > 1 ? TimeSpan.FromMilliseconds(((left.TotalMilliseconds - 1) % 1000) + 1) : left;
            try
            {
                await Task.Delay(step, clock, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // /reconnect or a stop: the caller tells which.
            }
        }
    }
}
