using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>Password hashing runs on threads of lower priority than chat, and hands back its result or its exception.</summary>
[TestFixture]
public sealed class HashWorkersTests
{
    [Test]
    public async Task Work_runs_on_a_thread_whose_nice_value_is_raised_so_chat_threads_win_the_cores()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("nice values are Linux's");
        }

        using var workers = new HashWorkers(2);
        int niceHere = NiceOfThisThread();
        int niceThere = await workers.RunAsync(NiceOfThisThread).WaitAsync(Wait.Timeout);
        niceThere.Should().Be(Math.Min(19, niceHere + HashWorkers.Niceness), "the hashing thread yields the cores to chat");
        NiceOfThisThread().Should().Be(niceHere, "only the hashing threads are lowered, not the caller's");
        workers.Completed.Should().Be(1);
    }

    [Test]
    public async Task An_exception_of_the_work_reaches_the_caller_as_itself()
    {
        using var workers = new HashWorkers(1);
        var failing = workers.RunAsync<int>(() => throw new UserStoreException("taken"));
        (await failing.Invoking(t => t.WaitAsync(Wait.Timeout)).Should().ThrowAsync<UserStoreException>()).WithMessage("taken");
        (await workers.RunAsync(() => 42).WaitAsync(Wait.Timeout)).Should().Be(42, "the thread goes on after a failure");
    }

    [Test]
    public async Task After_dispose_work_still_runs_so_a_login_during_a_stop_is_answered()
    {
        var workers = new HashWorkers(1);
        workers.Dispose();
        (await workers.RunAsync(() => 7).WaitAsync(Wait.Timeout)).Should().Be(7);
    }

    // Field 19 of /proc/thread-self/stat; the command name (field 2) may hold spaces, so count from its closing ')'.
    private static int NiceOfThisThread()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
