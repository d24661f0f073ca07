namespace LanTalk.TestUtilities;

/// <summary>Bounded waits on tasks and events: a test that waits never hangs, and its failure says what it waited for.</summary>
public static class Wait
{
    /// <summary>Generous against a loaded CI machine; a passing wait takes milliseconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<T> ForAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        try
        {
            return await task.WaitAsync(timeout ?? Timeout);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"timed out after {(timeout ?? Timeout).TotalSeconds} s waiting for {what}");
        }
    }

    public static async Task ForAsync(Task task, string what, TimeSpan? timeout = null)
    {
        try
        {
            await task.WaitAsync(timeout ?? Timeout);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"timed out after {(timeout ?? Timeout).TotalSeconds} s waiting for {what}");
        }
    }
}
