using System.Threading.Channels;
using LanTalk.Client.Chat;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Client.Terminal;

namespace LanTalk.Client.App;

/// <summary>The terminal chat: a line editor at the bottom, events printed above it.</summary>
internal static class InteractiveChat
{
    public static async Task<ExitCode> RunAsync(CommandLine command, AppEnvironment env)
    {
        if (!SessionStarter.TryPrepare(command, env, out var plan, out string user, out string password, out var usage))
        {
            return usage;
        }

        var terminal = env.Terminal();
        var editor = new LineEditor(terminal, "> ") { Commands = ChatInputParser.Commands };
        var output = new EditorChatOutput(editor);
        var formatter = SessionStarter.Formatter(plan, env, terminal: true);
        ChatSession? session = null;
        string Self() => session?.UserName ?? user;

        env.Out.WriteLine(formatter.Status($"connecting to {plan.Server} as {user}...", StatusLevel.Info));
        using var shutdown = new ShutdownSignal();
        var (started, failure) = await SessionStarter.StartAsync(plan, user, password, env, env.Reconnect,
            archive => new ChatPrinter(output, formatter, archive, Self)
            {
                ShowDateChanges = true,
                ConnectionChanged = connected => editor.Prompt = connected ? $"{Self()}> " : $"{Self()} (offline)> ",
            }, text => output.Status(formatter.Status(text, StatusLevel.Error)),
            CancellationToken.None).ConfigureAwait(false);
        if (started is null)
        {
            return failure;
        }

        session = started.Session;
        plan.Remember(started.Welcome.UserName, env, text => output.Status(formatter.Status(text, StatusLevel.Warning)));
        output.Status(formatter.Status($"connected to {plan.Server} ({session.ServerName}) as {started.Welcome.UserName}. Type /help for commands.", StatusLevel.Info));
        output.Line(formatter.Online(session.OnlineUsers, Self()));

        editor.Prompt = $"{started.Welcome.UserName}> ";
        editor.Names = () => [.. session.OnlineUsers.Select(u => u.Name)];
        var commands = new ChatCommands(session, output, formatter, started.Archive);
        FailureReport? ended = null;
        // Quitting (Ctrl+C, Ctrl+D, a signal) or the session ending also cancels a send that is still waiting for
        // the server, so lantalk never hangs on its way out.
        using var stop = new CancellationTokenSource();
        void Stop()
        {
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already finished.
            }
        }

        _ = Task.WhenAny(shutdown.Signalled, session.Ended).ContinueWith(_ => Stop(), TaskScheduler.Default);
        SetControlCAsInput(true);
        try
        {
            editor.Start();
            var lines = StartKeyReader(terminal, editor, Stop);
            while (true)
            {
                try
                {
                    string line = await lines.ReadAsync(stop.Token).ConfigureAwait(false);
                    if (!await commands.ExecuteAsync(ChatInputParser.Parse(line), stop.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
                {
                    break;
                }
            }

            ended = session.Ended.IsCompleted ? await session.Ended.ConfigureAwait(false) : null;
        }
        finally
        {
            editor.Stop();
            SetControlCAsInput(false);
            await session.LogoutAsync().ConfigureAwait(false);
            // Flushes every queued archive line before the process exits.
            await started.Archive.DisposeAsync().ConfigureAwait(false);
        }

        if (ended is not null)
        {
            env.Error.WriteLine($"lantalk: {ended.Message}");
            return ended.ExitCode;
        }

        env.Out.WriteLine(formatter.Status("logged out. Bye.", StatusLevel.Info));
        return ExitCode.Ok;
    }

    /// <summary>Reads keys on a background thread; Enter queues the line, Ctrl+C or Ctrl+D completes the channel.</summary>
    private static ChannelReader<string> StartKeyReader(IKeySource keys, LineEditor editor, Action quit)
    {
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var thread = new Thread(() =>
        {
            try
            {
                while (true)
                {
                    var result = editor.HandleKey(keys.ReadKey());
                    if (result.Kind == EditorEventKind.Submit)
                    {
                        channel.Writer.TryWrite(result.Line);
                    }
                    else if (result.Kind == EditorEventKind.Quit)
                    {
                        quit();
                        break;
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // No console to read from (stdin closed); treat as quit.
            }

            channel.Writer.TryComplete();
        })
        {
            IsBackground = true,
            Name = "lantalk keys",
        };
        thread.Start();
        return channel.Reader;
    }

    // Ctrl+C arrives as a key, so it quits through the same clean path as /quit (archive flushed, logout sent).
    private static void SetControlCAsInput(bool value)
    {
        try
        {
            Console.TreatControlCAsInput = value;
        }
        catch (IOException)
        {
            // Not a real console: Ctrl+C then arrives as SIGINT, which ShutdownSignal handles.
        }
    }
}
