using System.Threading.Channels;
using LanTalk.Client.Chat;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Client.Terminal;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.App;

/// <summary>The terminal chat: a line editor at the bottom, events printed above it.</summary>
internal static class InteractiveChat
{
    /// <summary>A paste of more lines than this is sent only after the user says yes: a wrong clipboard should not flood the room.</summary>
    public const int PasteConfirmLines = 3;

    public static async Task<ExitCode> RunAsync(CommandLine command, AppEnvironment env)
    {
        if (!SessionStarter.TryPrepare(command, env, out var plan, out string user, out var usage))
        {
            return usage;
        }

        var formatter = SessionStarter.Formatter(plan, env, terminal: true);
        ChatSession? session = null;
        string Self() => session?.UserName ?? user;

        // The terminal is taken over only once logged in: until then the trust question and the password prompt
        // own it, and a server that cannot be reached never touches it.
        IInteractiveTerminal? terminal = null;
        LineEditor? editor = null;
        HeldOutput? output = null;
        BannerGate? gate = null;
        PromptState? prompt = null;
        ChatPrinter? printer = null;
        // Tab after /join also asks the server for its rooms (ChatCommands.RefreshRoomNames).
        Func<Task>? roomTab = null;
        ChatPrinter Printer(Archive.ArchiveWriter archive)
        {
            terminal = env.Terminal();
            var rooms = new RoomBook();
            // Tab completes commands, the names of the users online at that moment, and room names.
            editor = new LineEditor(terminal, "> ")
            {
                Completer = (buffer, cursor) =>
                {
                    if (buffer.StartsWith("/join ", StringComparison.OrdinalIgnoreCase) && roomTab?.Invoke() is { IsCompleted: false } asking)
                    {
                        // Waited for briefly (a LAN answers in a millisecond), so this Tab already completes from the
                        // fresh list: in the background, a room created meanwhile completed only on the Tab after next
                        // (a regression audit, 2026-12-06). A slow server leaves this Tab to the list already known.
                        _ = Task.WaitAny([asking], TimeSpan.FromMilliseconds(500));
                    }

                    return Completion.Complete(buffer, cursor, ChatInputParser.Commands, [.. session?.OnlineUsers.Select(u => u.Name) ?? []], rooms.Known);
                },
            };
            // Lines go through the hold, so PageUp can keep an earlier page on screen while new lines wait, and
            // through the gate, so what arrives right after the login waits for the banner.
            gate = new BannerGate(new EditorChatOutput(editor));
            output = new HeldOutput(gate);
            prompt = new PromptState(editor, Self) { Room = () => rooms.Current, Away = () => rooms.AwayText(Self()) is { Length: > 0 } };
            rooms.Changed += prompt.Refresh;
            editor.FitPrompt = prompt.Fit;
            printer = new ChatPrinter(output, formatter, archive, Self) { ShowDateChanges = true, Bell = plan.Display.Bell, Prompt = prompt, Rooms = rooms };
            return printer;
        }

        void Report(string line)
        {
            if (output is null)
            {
                env.Error.WriteLine(line);
            }
            else
            {
                output.Status(line);
            }
        }

        env.Out.WriteLine(formatter.Status($"connecting to {plan.Server} as {user}...", StatusLevel.Info));
        using var shutdown = new ShutdownSignal();
        var policy = env.Reconnect with { MaxDelay = TimeSpan.FromSeconds(plan.Saved.ReconnectMaxDelaySeconds) };
        var (started, failure) = await SessionStarter.StartAsync(command, plan, user, env, policy, Printer,
            text => Report(formatter.Status(text, StatusLevel.Error)),
            CancellationToken.None).ConfigureAwait(false);
        if (started is null || terminal is null || editor is null || output is null || gate is null || prompt is null)
        {
            gate?.Open(_ => { });
            return failure;
        }

        session = started.Session;
        gate.Open(banner =>
        {
            banner.Status(formatter.Status($"connected to {plan.Server} ({session.ServerName}) as {started.Welcome.UserName}. Type /help for commands.", StatusLevel.Info));
            banner.Line(formatter.Online(session.OnlineUsers, Self()));
        });
        plan.Remember(started.Welcome.UserName, env, text => output.Status(formatter.Status(text, StatusLevel.Warning)));

        prompt.Connected(true);
        await using var outbox = new Outbox(session, output, formatter);
        outbox.Follow(printer!);
        var commands = new ChatCommands(session, outbox, output, formatter, started.Archive)
        {
            Rooms = printer!.Rooms,
            Markers = printer.Markers,
            Held = output,
            PageSize = PageSize,
            ConfirmDeletes = true,
        };
        FailureReport? ended = null;
        IReadOnlyList<string> left = [];
        // Quitting (Ctrl+C, Ctrl+D, a signal) or the session ending also cancels a command that is still waiting
        // for the server, so lantalk never hangs on its way out.
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
        roomTab = () => commands.RefreshRoomNames(stop.Token);
        // Once at the start, so the rooms that exist already complete on the first Tab.
        _ = roomTab();
        using var resize = TerminalResize.Watch(editor);
        using var continued = Suspend.RedrawOnContinue(editor);
        SetControlCAsInput(true);
        try
        {
            editor.Start();
            var rooms = printer.Rooms;
            void SwitchRoom(int number)
            {
                // Alt+N with no N-th room: a bell, as irssi's window keys, and a line saying why.
                if (!commands.GoNumber(number))
                {
                    output.Bell();
                    int count = rooms.Rooms.Count;
                    output.Status(formatter.Status(count == 0 ? $"no room {number}: you are in no room (/join ROOM)"
                        : $"no room {number}: you are in {count} room{(count == 1 ? string.Empty : "s")}; Alt+1{(count > 1 ? $" to Alt+{(count == 10 ? 0 : Math.Min(count, 10))}" : string.Empty)} switch in the order you joined them", StatusLevel.Info));
                }
            }

            void PageUp() => _ = PageUpAsync(commands, stop.Token);
            void PageDown()
            {
                // PageDown when not scrolled back has nowhere to go: a bell, as at the bottom of a pager.
                if (!commands.PageDown())
                {
                    output.Bell();
                }
            }

            var batches = StartKeyReader(terminal, editor, output, formatter, Stop, SwitchRoom, PageUp, PageDown);
            while (true)
            {
                try
                {
                    var lines = await batches.ReadAsync(stop.Token).ConfigureAwait(false);
                    // Whatever was waiting for you has been seen once you write.
                    prompt.Hotlist.Clear();
                    prompt.Refresh();
                    // Writing returns to now (as PageDown), so your own message is not held out of sight.
                    commands.PageDown();
                    while (lines is not null && Sendable(lines) is > PasteConfirmLines and int count)
                    {
                        var (send, instead) = await ConfirmPasteAsync(count, batches, editor, output, formatter, stop.Token).ConfigureAwait(false);
                        if (send)
                        {
                            break;
                        }

                        // Dropped; what was typed in answer, when it was no answer, is input of its own (maybe a paste).
                        lines = instead;
                    }

                    if (lines is null || commands.HoldPasteForRoomTakenAway(lines))
                    {
                        continue;
                    }

                    bool quit = false;
                    foreach (string line in lines)
                    {
                        if (!await commands.ExecuteAsync(ChatInputParser.Parse(line), stop.Token).ConfigureAwait(false))
                        {
                            quit = true;
                            break;
                        }
                    }

                    if (quit)
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
            RestoreKeypad(env.Out);
            if (session.IsConnected && outbox.Pending > 0)
            {
                // Ctrl+C or /quit right after Enter: the line is on its way and its confirmation a moment off. Stopped at
                // once, it was named "not confirmed" (and the exit was 9) a millisecond before its echo showed it
                // delivered (CI, 2026-12-07). Bounded: a stalled server does not hold the exit.
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await outbox.DrainAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // What is still unconfirmed is named below.
                }
            }

            left = await outbox.StopAsync().ConfigureAwait(false);
            foreach (var line in left)
            {
                env.Error.WriteLine(formatter.Status(line, StatusLevel.Error));
            }

            await session.LogoutAsync().ConfigureAwait(false);
            // Flushes every queued archive line before the process exits.
            await started.Archive.DisposeAsync().ConfigureAwait(false);
        }

        if (ended is not null)
        {
            // Said once: the chat's "!!" lines (TellsEnd) stay on the screen, and repeating them here as
            // "lantalk: ..." printed the reason twice, a changed certificate's 14 lines too (an outside audit, F8).
            // Pipe mode and TERM=dumb say it on stderr instead (PipeChat).
            return ended.ExitCode;
        }

        if (left.Count > 0)
        {
            // Named above on stderr; the exit code tells a wrapper script too, as pipe mode's does (a client audit, F7).
            env.Out.WriteLine(formatter.Status($"logged out; {(left.Count == 1 ? "1 message" : $"{left.Count} messages")} not delivered (above). Bye.", StatusLevel.Warning));
            return ExitCode.NotDelivered;
        }

        env.Out.WriteLine(formatter.Status("logged out. Bye.", StatusLevel.Info));
        return ExitCode.Ok;
    }

    /// <summary>PageUp runs beside typed commands; quitting cancels it quietly.</summary>
    private static async Task PageUpAsync(ChatCommands commands, CancellationToken cancellationToken)
    {
        try
        {
            await commands.PageUpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Quitting.
        }
    }

    /// <summary>
    /// The lines of a batch that become messages: a blank line sends nothing, so "you pasted 5 lines" for four
    /// paragraphs and a blank line between two of them would promise one message too many.
    /// </summary>
    private static int Sendable(IReadOnlyList<string> lines) => lines.Count(line => line.Trim().Length > 0);

    /// <summary>Messages per PageUp: the window's height less the prompt and the two marker lines.</summary>
    private static int PageSize()
    {
        try
        {
            return Math.Max(5, Console.WindowHeight - 3);
        }
        catch (IOException)
        {
            return 20;
        }
    }

    /// <summary>
    /// Asks before a long paste goes out. y or yes sends it; Enter, n or no drops it; anything else drops it too and is
    /// returned as input of its own: the message typed right after a paste by mistake was taken for the answer and
    /// lost without a word (a UX audit, 2026-12-05).
    /// </summary>
    private static async Task<(bool Send, IReadOnlyList<string>? Instead)> ConfirmPasteAsync(int count, ChannelReader<IReadOnlyList<string>> batches, LineEditor editor, HeldOutput output, MessageFormatter formatter, CancellationToken cancellationToken)
    {
        // Up after the answer should bring back the paste, not the 'n'.
        editor.KeepNextLineOutOfHistory();
        output.Status(formatter.Status($"you pasted {count} lines: send them as {count} messages? y and Enter sends them, Enter alone drops them (Up brings them back)", StatusLevel.Warning));
        var answer = await batches.ReadAsync(cancellationToken).ConfigureAwait(false);
        string word = answer.Count == 1 ? answer[0].Trim().ToLowerInvariant() : "(more)";
        if (word is "y" or "yes")
        {
            output.Status(formatter.Status($"sending {count} lines, paced to the server's rate...", StatusLevel.Info));
            return (true, null);
        }

        if (word is "" or "n" or "no")
        {
            output.Status(formatter.Status("paste dropped", StatusLevel.Info));
            return (false, null);
        }

        output.Status(formatter.Status("paste dropped; what you typed after it goes on as usual", StatusLevel.Info));
        return (false, answer);
    }

    /// <summary>
    /// Reads keys on a background thread. Enter queues the line; lines that arrive together are queued as one batch
    /// (<see cref="PasteBatch"/>). Ctrl+C or Ctrl+D completes the channel.
    /// </summary>
    private static ChannelReader<IReadOnlyList<string>> StartKeyReader(IKeySource keys, LineEditor editor, HeldOutput output, MessageFormatter formatter, Action quit, Action<int> switchRoom, Action pageUp, Action pageDown)
    {
        var channel = Channel.CreateUnbounded<IReadOnlyList<string>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var thread = new Thread(() =>
        {
            var batch = new PasteBatch(() => MoreInputPending(keys), PasteConfirmLines, () =>
                editor.HandleKey(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false)) is { Kind: EditorEventKind.Submit } last ? last.Line : null);
            try
            {
                while (true)
                {
                    var key = keys.ReadKey();
                    // Alt+1..9 (ESC then the digit, as terminals send it) switches the room, Alt+0 to the tenth as in
                    // irssi; the editor never sees them (Alt+0 typed a literal 0 before the next line; an audit).
                    if ((key.Modifiers & ConsoleModifiers.Alt) != 0 && key.KeyChar is >= '0' and <= '9')
                    {
                        switchRoom(key.KeyChar == '0' ? 10 : key.KeyChar - '0');
                        continue;
                    }

                    if (ScrollKeys.Handle(key, pageUp, pageDown))
                    {
                        continue;
                    }

                    if (key.KeyChar == '\u001a' && Suspend.Supported)
                    {
                        // Ctrl+Z: to the shell until fg, the draft kept.
                        Suspend.ToShell(
                            () =>
                            {
                                editor.Stop();
                                SetControlCAsInput(false);
                                RestoreKeypad(Console.Out);
                            },
                            () =>
                            {
                                SetControlCAsInput(true);
                                editor.Start();
                            });
                        continue;
                    }

                    // A paste arrives as many keys at once; the editor redraws once they are all in.
                    var result = editor.HandleKey(key, moreInput: keys.KeyAvailable);
                    if (batch.After(result) is { } lines)
                    {
                        channel.Writer.TryWrite(lines);
                    }

                    if (result.Kind == EditorEventKind.Cleared)
                    {
                        output.Status(formatter.Status("draft cleared; Ctrl+C again quits", StatusLevel.Info));
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

    // A terminal may hand over a long paste in several reads; a short grace joins them. 30 ms is far below the
    // gap between a person's Enter and their next key, and far above the gap between two reads of one paste.
    private static bool MoreInputPending(IKeySource keys)
    {
        for (int i = 0; i < 3; i++)
        {
            if (keys.KeyAvailable)
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return keys.KeyAvailable;
    }

    /// <summary>
    /// .NET's key reading switches the terminal to application cursor keys (terminfo keypad_xmit) and leaves it so: after
    /// /quit, Up sent ^[OA to the shell instead of ^[[A (a UX audit, 2026-12-05). keypad_local puts it back.
    /// </summary>
    private static void RestoreKeypad(TextWriter terminal)
    {
        if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("TERM") is null or "dumb")
        {
            return;
        }

        try
        {
            terminal.Write("\u001b[?1l\u001b>");
            terminal.Flush();
        }
        catch (IOException)
        {
            // The terminal is gone.
        }
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
