using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Unit;

/// <summary>Waits measured in time that passed, not on the wall clock, which NTP or an operator may step back.</summary>
public sealed class ClockStepTests
{
    [Test]
    public async Task A_reconnect_wait_ends_on_time_when_the_clock_is_stepped_back_an_hour()
    {
        var clock = new SteppedWallClock();
        int reads = 0;
        clock.OnRead = c =>
        {
            if (Interlocked.Increment(ref reads) == 2)
            {
                c.Step(TimeSpan.FromHours(-1));
            }
        };
        var ticks = new List<TimeSpan>();
        var wait = ReconnectCountdown.WaitAsync(TimeSpan.FromMilliseconds(300), ticks.Add, clock, CancellationToken.None);
        var done = await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10)));
        done.Should().BeSameAs(wait, "a 300 ms backoff must not become an hour and 300 ms when the clock steps back");
        ticks.Should().OnlyContain(t => t <= TimeSpan.FromMilliseconds(300), "the countdown shows what is really left");
    }

    [Test]
    public async Task A_reconnect_wait_ends_at_once_on_cancel()
    {
        using var cancel = new CancellationTokenSource();
        var wait = ReconnectCountdown.WaitAsync(TimeSpan.FromMinutes(5), _ => cancel.Cancel(), new SteppedWallClock(), cancel.Token);
        (await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10)))).Should().BeSameAs(wait);
    }

    [Test]
    public async Task The_archive_lock_gives_up_after_its_wait_also_when_the_clock_is_stepped_back()
    {
        string folder = Path.Combine(Path.GetTempPath(), "lantalk-clockstep-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var held = await ArchiveLock.AcquireAsync(folder);
            var clock = new SteppedWallClock();
            int reads = 0;
            clock.OnRead = c =>
            {
                if (Interlocked.Increment(ref reads) == 2)
                {
                    c.Step(TimeSpan.FromHours(-1));
                }
            };
            var second = ArchiveLock.AcquireAsync(folder, clock, TimeSpan.FromMilliseconds(200));
            var done = await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(10)));
            done.Should().BeSameAs(second, "a held lock is reported after the wait, not an hour later");
            await ((Func<Task>)(() => second)).Should().ThrowAsync<IOException>();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
