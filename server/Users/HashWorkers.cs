using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LanTalk.Server.Users;

/// <summary>
/// Runs password hashing (PBKDF2 for a login check or a new account) on a few dedicated threads of lower CPU
/// priority than the rest of the server (nice <see cref="Niceness"/> on Linux, BelowNormal on Windows), so that when
/// logins and chat compete for the cores, chat wins and logins wait. A logged-in user who logs in and out in a loop
/// from four connections (4.3 logins a second, each about 0.3 s of CPU at the default cost) took 85 % of a core: the
/// other users' messages went from a 1.5 ms to a 15 ms median, with a stall of a second (an abuse audit, 2026-12-07).
/// Only failed logins are throttled, and a login the server cannot tell from a person's second device should not be
/// refused; so the work is made cheap for everyone else instead.
/// </summary>
/// <remarks>
/// Dedicated threads, since a thread's nice value on Linux can be raised but not lowered again without privilege,
/// so a pool thread lent for one hash would stay slow for everything it ran afterwards; and .NET's Thread.Priority
/// does nothing on Linux. How many run at once is bounded by the callers' hash slots (ChatServer.HashSlots, as many
/// as cores), so the queue holds at most that many items.
/// </remarks>
internal sealed partial class HashWorkers : IDisposable
{
    /// <summary>The nice value of the hashing threads on Linux (the server's own threads run at 0).</summary>
    public const int Niceness = 10;

    private readonly BlockingCollection<Action> _work = new();
    private long _completed;

    public HashWorkers(int threads)
    {
        for (int i = 0; i < threads; i++)
        {
            new Thread(Run) { IsBackground = true, Name = "lantalk-hash", Priority = ThreadPriority.BelowNormal }.Start();
        }
    }

    /// <summary>How many items ran to completion (tests check that a login's check ran here).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Runs <paramref name="work"/> on a hashing thread; its result or exception comes back through the task.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                T result;
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref _completed);
                    done.SetException(ex);
                    return;
                }

                // Counted before the caller can go on, so what it checks next sees this item counted.
                Interlocked.Increment(ref _completed);
                done.SetResult(result);
            });
        }
        catch (InvalidOperationException)
        {
            // Disposed (the server is stopping): run it on the caller's way instead of leaving the login hanging.
            return Task.Run(work);
        }

        return done.Task;
    }

    public void Dispose() => _work.CompleteAdding();

    private void Run()
    {
        LowerThisThread();
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }

    private static void LowerThisThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // PRIO_PROCESS with a thread id sets that thread's nice value alone on Linux (setpriority(2), BUGS).
            _ = SetPriority(0, GetTid(), Niceness);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // Another libc without these: hashing runs at the normal priority, as before.
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
