using LanTalk.Server.Cli;
using LanTalk.Server.Logging;

namespace LanTalk.Server.Hosting;

/// <summary>
/// `lantalk-server` in a terminal or under a plain process supervisor: logs to the console, takes operator
/// commands when standard input is a terminal, runs headless when it is not, and stops on a signal.
/// </summary>
internal static class ForegroundHost
{
    private static readonly NLog.Logger s_log = NLog.LogManager.GetLogger("LanTalk.Server.Host");

    // How long the last log lines may take to reach the terminal at exit; one that is not read cannot hold it up.
    private static readonly TimeSpan ConsoleDrainWait = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(CommandLine command)
    {
        // First, so nothing printed from here on can block on a terminal that stops being read.
        var queue = QueuedConsole.Install();
        try
        {
            return await RunQueuedAsync(command, queue).ConfigureAwait(false);
        }
        finally
        {
            queue.Drain(ConsoleDrainWait);
        }
    }

    private static async Task<int> RunQueuedAsync(CommandLine command, QueuedConsole queue)
    {
        var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopping = new CancellationTokenSource();
        // Registered before start-up, so a SIGTERM during it is not lost: it ends a start-up that waits (for history.db),
        // and otherwise takes effect once listening.
        using var signals = new ShutdownSignals(why =>
        {
            stop.TrySetResult("signal " + why);
            stopping.Cancel();
        });
        var style = Console.IsOutputRedirected ? ConsoleStyle.Plain : ConsoleStyle.Colored;
        var running = await ServerStartup.StartAsync(command, style, operatorConsole: !Console.IsInputRedirected, stopping.Token).ConfigureAwait(false);
        if (IgnoredStopSignals.Read() is { Count: > 0 } ignored)
        {
            s_log.Warn(IgnoredStopSignals.Warning(ignored));
        }

        OperatorConsole? console = null;
        if (!Console.IsInputRedirected)
        {
            console = new OperatorConsole(running, why => stop.TrySetResult(why), Console.Out, queue,
                () => ConfigReload.TryReload(running, command, style, "console 'reload'"));
            console.Start();
        }

        string reason = await stop.Task.ConfigureAwait(false);
        console?.Stop();
        // 1 when the stop could not save something (Rooms.xml): a script or supervisor must see that changes were lost.
        return await running.StopAsync(reason).ConfigureAwait(false) ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
