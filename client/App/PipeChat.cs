using LanTalk.Client.Chat;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;

namespace LanTalk.Client.App;

/// <summary>
/// Chat with stdin redirected: each input line is sent (commands work too) and confirmed before the next;
/// received events go to stdout one per line, status to stderr. At end of input it logs out and exits.
/// </summary>
internal static class PipeChat
{
    /// <summary>How long to wait at end of input for sends that are still unconfirmed.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static async Task<ExitCode> RunAsync(CommandLine command, AppEnvironment env)
    {
        if (!SessionStarter.TryPrepare(command, env, out var plan, out string user, out string password, out var usage))
        {
            return usage;
        }

        var output = new StreamChatOutput(env.Out, env.Error);
        var formatter = SessionStarter.Formatter(plan, env, terminal: false);
        ChatSession? session = null;
        string Self() => session?.UserName ?? user;

        using var shutdown = new ShutdownSignal();
        var (started, failure) = await SessionStarter.StartAsync(plan, user, password, env, env.Reconnect,
            archive => new ChatPrinter(output, formatter, archive, Self), output.Status, CancellationToken.None).ConfigureAwait(false);
        if (started is null)
        {
            return failure;
        }

        session = started.Session;
        output.Status(formatter.Status($"connected to {plan.Server} as {started.Welcome.UserName}", StatusLevel.Info));
        var commands = new ChatCommands(session, output, formatter, started.Archive) { WaitForReconnect = true };
        var lines = LineSource.Start(env.In.ReadLine);
        FailureReport? ended = null;
        try
        {
            while (true)
            {
                var next = lines.ReadAsync().AsTask();
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

                // Each send completes with the server's echo, so nothing is left unconfirmed when the loop ends,
                // unless a signal cut it short: then wait briefly.
                var execute = commands.ExecuteAsync(ChatInputParser.Parse(next.Result), CancellationToken.None);
                if (await Task.WhenAny(execute, shutdown.Signalled).ConfigureAwait(false) != execute)
                {
                    await Task.WhenAny(execute, Task.Delay(DrainTimeout)).ConfigureAwait(false);
                    break;
                }

                if (!await execute.ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            await session.LogoutAsync().ConfigureAwait(false);
            await started.Archive.DisposeAsync().ConfigureAwait(false);
        }

        if (ended is not null)
        {
            env.Error.WriteLine($"lantalk: {ended.Message}");
            return ended.ExitCode;
        }

        return commands.Failures > 0 ? ExitCode.NotDelivered : ExitCode.Ok;
    }
}
