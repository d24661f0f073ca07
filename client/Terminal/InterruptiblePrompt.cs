using System.Runtime.InteropServices;

namespace LanTalk.Client.Terminal;

/// <summary>
/// Runs one read of a question asked at the terminal (trust, user name, password, which server) so that Ctrl+C
/// cancels it as Ctrl+D does, as at ssh's and sudo's prompts. Ctrl+C reaches lantalk as SIGINT there, and the chat's
/// SIGINT handler only marks the chat to end, so a prompt went on waiting and ^C did nothing (an outside audit, F1).
/// </summary>
internal static class InterruptiblePrompt
{
    /// <summary>What <paramref name="read"/> returned, or null (as at end of input) when Ctrl+C came first.</summary>
    public static T? Read<T>(Func<T?> read)
        where T : class
    {
        var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = Register(interrupted);
        // A console read cannot be cancelled: it runs on its own thread, left blocked when Ctrl+C wins; the cancel
        // ends lantalk, and the thread does not keep the process alive.
        var reading = Task.Factory.StartNew(read, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (Task.WaitAny(reading, interrupted.Task) == 0)
        {
            return reading.GetAwaiter().GetResult();
        }

        _ = reading.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return null;
    }

    /// <summary>
    /// A typed answer, or null for Ctrl+C or Ctrl+D; then the line is ended, so what follows ("lantalk: cancelled")
    /// does not start after the question.
    /// </summary>
    public static string? Line(TextReader input, TextWriter prompt)
    {
        string? line = Read(input.ReadLine);
        if (line is null)
        {
            prompt.WriteLine();
        }

        return line;
    }

    private static PosixSignalRegistration? Register(TaskCompletionSource interrupted)
    {
        try
        {
            return PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                // Not the default exit (130, no word): the prompt says "cancelled" and lantalk exits with 2.
                context.Cancel = true;
                interrupted.TrySetResult();
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}
