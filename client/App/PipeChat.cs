using LanTalk.Client.Chat;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Client.Text;

namespace LanTalk.Client.App;

/// <summary>
/// Chat with stdin redirected: each input line is sent (commands work too), in order and paced to the server's
/// announced rate, so no line is refused for speed; received events go to stdout one per line, status to stderr.
/// At end of input it waits until every line is confirmed, logs out and exits.
/// </summary>
internal static class PipeChat
{
    /// <summary>How long to wait at end of input for sends that are still unconfirmed.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static async Task<ExitCode> RunAsync(CommandLine command, AppEnvironment env)
    {
        if (!SessionStarter.TryPrepare(command, env, out var plan, out string user, out var usage))
        {
            return usage;
        }

        // What arrives right after the login (stored private messages, room replays) waits for the banner.
        var output = new BannerGate(new StreamChatOutput(env.Out, env.Error));
        var formatter = SessionStarter.Formatter(plan, env, terminal: false);
        ChatSession? session = null;
        string Self() => session?.UserName ?? user;

        using var shutdown = new ShutdownSignal();
        var policy = env.Reconnect with { MaxDelay = TimeSpan.FromSeconds(plan.Saved.ReconnectMaxDelaySeconds) };
        ChatPrinter? printer = null;
        var (started, failure) = await SessionStarter.StartAsync(command, plan, user, env, policy,
            archive => printer = new ChatPrinter(output, formatter, archive, Self), output.Status, CancellationToken.None).ConfigureAwait(false);
        if (started is null)
        {
            output.Open(_ => { });
            return failure;
        }

        session = started.Session;
        // The end (a kick, a lost connection given up) is told once, by the "lantalk: ..." line below on stderr, as
        // every fatal end before the chat began is.
        session.TellsEnd = false;
        output.Open(banner => banner.Status(formatter.Status($"connected to {plan.Server} as {started.Welcome.UserName}", StatusLevel.Info)));
        await using var outbox = new Outbox(session, output, formatter);
        outbox.Follow(printer!);
        var commands = new ChatCommands(session, outbox, output, formatter, started.Archive) { Ordered = true, Rooms = printer!.Rooms, Markers = printer.Markers };
        // A terminal (TERM=dumb) ends a typed line with \r; a pipe or a file only with \n (LfLines).
        var typed = env.IsInputRedirected ? null : new TerminalLines(env.In);
        var lines = LineSource.Start(() => typed is null ? LfLines.Read(env.In) : typed.Read());
        FailureReport? ended = null;
        bool gaveUp = false;
        Task<string>? next = null;
        try
        {
            while (true)
            {
                next = lines.ReadAsync().AsTask();
                var first = await Task.WhenAny(next, session.Ended, shutdown.Signalled).ConfigureAwait(false);
                if (first == session.Ended)
                {
                    ended = await session.Ended.ConfigureAwait(false);
                    break;
                }

                // End of input (the channel completes) or a signal.
                if (first == shutdown.Signalled || next.IsFaulted || next.IsCanceled)
                {
                    break;
                }

                // A command can wait for the server (a /join while it reconnects, for ever when the server is gone): a
                // signal must still end lantalk, or a script's `timeout` could not stop it (fault injection, 2026-12-04).
                var execute = commands.ExecuteAsync(ChatInputParser.Parse(next.Result), shutdown.Token);
                await Task.WhenAny(execute, shutdown.Signalled).ConfigureAwait(false);
                if (shutdown.Signalled.IsCompleted)
                {
                    // The command may have ended cancelled by the signal, or still be waiting: either way, it is over.
                    _ = execute.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    break;
                }

                if (!await execute.ConfigureAwait(false))
                {
                    break;
                }
            }

            // Every line is confirmed before logging out, unless the session ends, a signal cuts it short, or the server
            // stays out of reach for env.PipeOfflineLimit.
            var drained = outbox.DrainAsync(CancellationToken.None);
            gaveUp = !shutdown.Signalled.IsCompleted && await GivesUpWaitingAsync(session, drained, shutdown.Signalled, env.PipeOfflineLimit).ConfigureAwait(false);
            if (shutdown.Signalled.IsCompleted && session.IsConnected)
            {
                // Offline, there is nothing to wait for: a SIGTERM then ends lantalk at once, not after a back-off.
                await Task.WhenAny(drained, Task.Delay(DrainTimeout)).ConfigureAwait(false);
            }
            else if (session.Ended.IsCompleted)
            {
                ended ??= await session.Ended.ConfigureAwait(false);
            }
        }
        finally
        {
            // End of input faults the last read with ChannelClosedException, perhaps after we stopped waiting on it
            // (a signal, a lost session): observe it, or it surfaces as an unobserved task exception.
            _ = next?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            // Each line not known delivered, named once more at the end: there is no Up in a pipe, and a script must
            // know which lines to send again (an outside client audit, F9).
            foreach (var line in outbox.Undelivered().Concat(await outbox.StopAsync().ConfigureAwait(false)))
            {
                output.Status(formatter.Status(line, StatusLevel.Error));
            }

            await session.LogoutAsync().ConfigureAwait(false);
            await started.Archive.DisposeAsync().ConfigureAwait(false);
        }

        if (ended is not null)
        {
            env.Error.WriteLine($"lantalk: {ended.Message}");
            return ended.ExitCode;
        }

        if (gaveUp)
        {
            env.Error.WriteLine($"lantalk: gave up: the input has ended and {plan.Server} has been out of reach for {env.PipeOfflineLimit.TotalSeconds:0} s; the lines above were not sent");
            return ExitCode.NotDelivered;
        }

        return commands.Failures > 0 || outbox.Pending > 0 ? ExitCode.NotDelivered : ExitCode.Ok;
    }

    /// <summary>
    /// Waits until <paramref name="drained"/>, the session's end or a signal; true when the connection stayed down for
    /// <paramref name="offlineLimit"/> at a stretch first (a reconnect starts the count again).
    /// </summary>
    private static async Task<bool> GivesUpWaitingAsync(ChatSession session, Task drained, Task signalled, TimeSpan offlineLimit)
    {
        // What ends the wait is read from the tasks' states, never from which task Task.WhenAny returned compared with
        // a property read again: ChatSession.ConnectionLost is the current connection's end, so read again after the
        // drop it was another task (Task.CompletedTask, no connection now), and the drop itself was taken for "drained".
        // A pipe whose input ended while lines waited for the send rate then quit at the server's first drop, exit 9,
        // every waiting line "not sent", without one reconnect (a fault-injection audit, 2026-12-07).
        bool Over() => drained.IsCompleted || session.Ended.IsCompleted || signalled.IsCompleted;
        while (!Over())
        {
            if (session.IsConnected)
            {
                // Read once: the connection this wait watches.
                var lost = session.ConnectionLost;
                await Task.WhenAny(drained, session.Ended, signalled, lost).ConfigureAwait(false);
                continue;
            }

            using var back = new CancellationTokenSource();
            var offline = Task.Delay(offlineLimit, back.Token);
            var connected = session.WaitConnectedAsync(back.Token);
            var first = await Task.WhenAny(drained, session.Ended, signalled, offline, connected).ConfigureAwait(false);
            await back.CancelAsync().ConfigureAwait(false);
            if (first == offline && !Over())
            {
                return true;
            }
        }

        return false;
    }
}
